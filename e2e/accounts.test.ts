/**
 * The Authenticator's account flows against the local identity emulator, with the flow the
 * runtime config selects (`USER_PASSWORD_AUTH`): create an account with its confirmation code and
 * land signed in, then reset a password with a code and sign in with the new one.
 */
import { ADMIN_USER } from '@gatehouse/local';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACME_REVENUE, ask, fillQuestion, openFreshPage, outcome, signIn } from './support/app-page';
import { type Browser, launchChromium, screenshot } from './support/chromium';
import { latestConfirmationCode } from './support/confirmation-codes';
import { startTestStack, type TestStack } from './support/local-stack';

describe('accounts', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
  });

  beforeEach(async () => {
    await page?.close();
    page = await openFreshPage(browser.context, stack.webUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const code = (email: string) => latestConfirmationCode(stack.stateDir, stack.config.cognito.userPoolId, email);

  it('creates an account with a confirmation code and signs it in', async () => {
    // Prepare
    const email = 'new.user@gatehouse.local';
    const password = 'New-user-pass-1';
    await page.getByRole('tab', { name: 'Create Account' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm Password', { exact: true }).fill(password);

    // Act
    await page.getByRole('button', { name: 'Create Account' }).click();
    const codeField = page.getByLabel('Confirmation Code');
    await codeField.waitFor();
    await codeField.fill(await code(email));
    await page.getByRole('button', { name: 'Confirm' }).click();
    // The emulator does not mark the address verified on confirmation, so the Authenticator asks.
    const skip = page.getByRole('button', { name: 'Skip' });
    await skip.or(page.getByTestId('signed-in-user')).first().waitFor();
    if (await skip.isVisible()) await skip.click();

    // Assess
    await page.getByTestId('signed-in-user').waitFor();
    expect(await page.getByTestId('signed-in-user').textContent()).toBe(email);
    await fillQuestion(page, ACME_REVENUE);
    await ask(page);
    expect(await outcome(page)).toBe('answer');
    await screenshot(page, 'new-account');
  });

  it('resets a forgotten password with a code, then signs in with the new one', async () => {
    // Prepare
    const password = 'Reset-admin-pass-2';
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN_USER.username);

    // Act
    await page.getByRole('button', { name: 'Send code' }).click();
    const codeField = page.getByRole('textbox', { name: 'Code' });
    await codeField.waitFor();
    await codeField.fill(await code(ADMIN_USER.username));
    await page.getByLabel('New Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Submit' }).click();

    // Assess
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn(page, { username: ADMIN_USER.username, password });
    expect(await page.getByTestId('signed-in-user').textContent()).toBe(ADMIN_USER.username);
  });
});
