/**
 * The route console against the real local stack running the sample: sign in, pick the route,
 * send the form the route's schema built (prefilled with its example), read status, body, request
 * id and timing; then send what the schema refuses and read the edge's field errors; then raw JSON.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFreshPage, recordApiCalls, signIn } from './support/app-page';
import { type Browser, launchChromium, screenshot } from './support/chromium';
import { startTestStack, type TestStack } from './support/local-stack';

describe('the route console', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    page = await openFreshPage(browser.context, stack.webUrl);
    await signIn(page, stack.config.demoUser);
    await page.getByRole('tab', { name: 'Route console' }).click();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const form = () => page.getByRole('form', { name: 'Request to POST /inference' });
  const send = () => form().getByRole('button', { name: 'Send' }).click();
  const status = async () => {
    await page.getByTestId('console-outcome').waitFor();
    return (await page.getByTestId('console-status').textContent())?.trim();
  };

  it("lists the project's routes and prefills the schema's form with the route's example", async () => {
    // Assess
    expect(await page.getByLabel('Route', { exact: true }).inputValue()).toBe('POST /inference');
    expect(await page.getByTestId('console-description').textContent()).toContain("partner's revenue");
    expect(await form().getByLabel('Partner', { exact: true }).inputValue()).toBe('Acme Corp');
    expect(await form().getByLabel('Year', { exact: true }).inputValue()).toBe('2024');
    expect(await form().getByLabel('Period', { exact: true }).inputValue()).toBe('Q3');
    expect(await form().getByLabel('Question', { exact: true }).inputValue()).toBe('What was the revenue?');
  });

  it('sends the form and shows 200, the body, the request id and the edge and core timing', async () => {
    // Prepare
    const calls = recordApiCalls(page, stack.config.apiUrl);

    // Act
    await send();

    // Assess
    expect(await status()).toBe('200');
    const post = calls.find((call) => call.method() === 'POST');
    const requestId = await (await post?.response())?.headerValue('x-request-id');
    expect(requestId).toBeTruthy();
    expect(await page.getByTestId('console-request-id').textContent()).toBe(`Request id: ${requestId}`);
    expect(await page.getByTestId('console-timing').textContent()).toMatch(/edge (<1|[\d.]+) ms · core (<1|[\d.]+) ms/);
    const body = JSON.parse((await page.getByTestId('console-body').textContent()) ?? '');
    expect(body.answer).toMatch(/^Acme Corp had revenue of \$[\d,]+ in 2024 Q3\.$/);
    await screenshot(page, 'console-200');
  });

  it("sends what the schema refuses and shows the edge's 422 with its field errors", async () => {
    // Prepare
    await form().getByLabel('Year', { exact: true }).fill('1800');
    await form().getByLabel('Partner', { exact: true }).fill('');

    // Act
    await send();

    // Assess
    expect(await status()).toBe('422');
    const errors = await page.getByTestId('console-field-errors').textContent();
    expect(errors).toContain('Year must be 1900 or later.');
    expect(errors).toContain('Partner is required.');
    expect(await form().getByLabel('Year', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(JSON.parse((await page.getByTestId('console-body').textContent()) ?? '')).toMatchObject({
      code: 'validation_failed',
      status: 422,
    });
    await screenshot(page, 'console-422');
  });

  it('sends raw JSON as typed, carrying the edits across from the form', async () => {
    // Act
    await form().getByText('Raw JSON').click();
    const editor = form().getByLabel('Body (JSON)');
    const carried = JSON.parse(await editor.inputValue());
    await editor.fill('{"partner": "Acme Corp",');
    await send();

    // Assess
    expect(carried).toEqual({ year: 1800, period: 'Q3', question: 'What was the revenue?' });
    expect(await status()).toBe('400');
    expect(JSON.parse((await page.getByTestId('console-body').textContent()) ?? '')).toMatchObject({
      code: 'invalid_json',
    });
  });
});
