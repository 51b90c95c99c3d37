/**
 * Reads a code the way a local user does: from the app's mailbox page (`#/mailbox`), in a tab of
 * its own so the form waiting for the code keeps its place. Waits, bounded, for a message newer
 * than the ones counted before the action that sends it.
 */
import type { BrowserContext } from 'playwright-core';

export type MailPurpose = 'sign-up code' | 'password reset code' | 'verification code' | 'temporary password';

/** How many messages the mailbox page lists for `to` and `purpose` now. */
export async function mailCount(
  context: BrowserContext,
  webUrl: string,
  to: string,
  purpose: MailPurpose,
): Promise<number> {
  return (await readMailbox(context, webUrl, to, purpose, 0)).length;
}

/** The newest code for `to` and `purpose`, once more than `seenBefore` such messages are listed. */
export async function codeFromMailbox(
  context: BrowserContext,
  webUrl: string,
  to: string,
  purpose: MailPurpose,
  seenBefore = 0,
): Promise<string> {
  const codes = await readMailbox(context, webUrl, to, purpose, seenBefore + 1);
  const newest = codes[0];
  if (!newest) throw new Error(`no ${purpose} for ${to} in the mailbox`);
  return newest;
}

const MAILBOX_WAIT_MS = 15_000;

async function readMailbox(
  context: BrowserContext,
  webUrl: string,
  to: string,
  purpose: MailPurpose,
  atLeast: number,
): Promise<string[]> {
  const page = await context.newPage();
  try {
    await page.goto(`${webUrl}/#/mailbox`);
    await page.getByRole('heading', { name: 'Local mailbox' }).waitFor();
    const deadline = Date.now() + MAILBOX_WAIT_MS;
    for (let attempt = 0; attempt < 60; attempt++) {
      const rows = page.getByTestId('mail').filter({ hasText: to }).filter({ hasText: purpose });
      await page.getByTestId('mailbox').or(page.getByTestId('mailbox-empty')).first().waitFor();
      const codes = await rows.getByTestId('mail-code').allTextContents();
      if (codes.length >= atLeast || Date.now() > deadline) return codes;
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(250);
    }
    return [];
  } finally {
    await page.close();
  }
}
