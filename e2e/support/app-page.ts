/**
 * What a user does in the app, as steps the browser tests share: sign in through the
 * Authenticator, fill the form, ask. Locators go by role and label, as assistive technology would.
 */
import type { BrowserContext, Page, Request } from 'playwright-core';

export interface Credentials {
  username: string;
  password: string;
}

export interface Question {
  partner: string;
  year: string;
  period: string;
  question: string;
}

export const ACME_REVENUE: Question = {
  partner: 'Acme Corp',
  year: '2024',
  period: 'Q3',
  question: 'What was the revenue?',
};

/** A new tab on the app with nothing stored: no Amplify session, nothing from a previous test. */
export async function openFreshPage(context: BrowserContext, webUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(webUrl);
  await page.evaluate(() => globalThis.localStorage.clear());
  await page.reload();
  return page;
}

export async function signIn(page: Page, user: Credentials): Promise<void> {
  await page.getByRole('textbox', { name: 'Email' }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

/** The sample's own question form (the route console on the same page has fields of the same names). */
export function askForm(page: Page) {
  return page.locator('form[aria-labelledby="ask-heading"]');
}

export async function fillQuestion(page: Page, question: Partial<Question>): Promise<void> {
  if (question.partner !== undefined) await askForm(page).getByLabel('Partner', { exact: true }).fill(question.partner);
  if (question.year !== undefined) await askForm(page).getByLabel('Year', { exact: true }).fill(question.year);
  if (question.period !== undefined)
    await askForm(page).getByLabel('Period', { exact: true }).selectOption(question.period);
  if (question.question !== undefined)
    await askForm(page).getByLabel('Question', { exact: true }).fill(question.question);
}

export async function ask(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
}

/** Records every request the page sends to the API's inference route (preflights included). */
export function recordApiCalls(page: Page, apiUrl: string): Request[] {
  const calls: Request[] = [];
  const route = `${apiUrl.replace(/\/+$/, '')}/inference`;
  page.on('request', (request) => {
    if (request.url() === route) calls.push(request);
  });
  return calls;
}

/**
 * Waits for the answer or an error panel, whichever comes first, and says which; an error's text
 * comes back so a failing test shows what the user saw instead of a bare timeout.
 */
export async function outcome(page: Page): Promise<string> {
  const answer = page.getByTestId('answer');
  const error = page.getByTestId('api-error');
  await answer.or(error).first().waitFor();
  if (await answer.isVisible()) return 'answer';
  return `error: ${await error.textContent()}`;
}
