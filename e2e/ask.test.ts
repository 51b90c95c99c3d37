/// <reference lib="dom" />
/**
 * The demo user's path through the app against the real local stack: sign in, ask, read the
 * answer and its figures; mistakes caught before any request; the API's own errors in words;
 * and after sign-out, no token in the app and no way into the API.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_REVENUE, ask, askForm, fillQuestion, outcome, recordApiCalls, signIn } from './support/app-page';
import { type Browser, launchChromium, screenshot } from './support/chromium';
import { startTestStack, type TestStack } from './support/local-stack';

describe('asking a question in the browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(stack.webUrl);
    await signIn(page, stack.config.demoUser);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the answer, the figures, the request id and the latency', async () => {
    // Prepare
    const calls = recordApiCalls(page, stack.config.apiUrl);
    await fillQuestion(page, ACME_REVENUE);

    // Act
    await ask(page);

    // Assess
    expect(await outcome(page)).toBe('answer');
    expect(await page.getByTestId('answer-text').textContent()).toMatch(
      /Acme Corp had revenue of \$[\d,]+ in 2024 Q3\./,
    );
    const figures = page.getByTestId('figures');
    expect(await figures.getByRole('rowheader', { name: 'Revenue' }).count()).toBe(1);
    expect(await figures.getByRole('cell', { name: '2024 Q3' }).count()).toBeGreaterThan(0);
    const requestId = (await page.getByTestId('request-id').textContent())?.trim();
    const post = calls.find((call) => call.method() === 'POST');
    expect(requestId).toBe(await (await post?.response())?.headerValue('x-request-id'));
    // edge and core come from Server-Timing, which the API must expose through CORS for the page to read it.
    // A fast edge reads "<1 ms" or "0.4 ms", never "0 ms".
    const ms = String.raw`(?:<1|[1-9]\.\d|[1-9]\d+) ms`;
    expect(await page.getByTestId('latency').textContent()).toMatch(
      new RegExp(`^${ms} total in the browser · edge ${ms} · core ${ms}$`),
    );
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('answer');
    expect(await page.getByTestId('recent').getByRole('listitem').count()).toBe(1);
    await screenshot(page, 'answer');
  });

  it('disables the button and shows progress while the request runs', async () => {
    // Prepare: hold the request at the browser until the test has looked at the page.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const route = `${stack.config.apiUrl}/inference`;
    await page.route(route, async (request) => {
      await held;
      await request.continue();
    });
    await fillQuestion(page, { ...ACME_REVENUE, question: 'How did the margin develop?' });

    // Act
    await ask(page);

    // Assess
    const progress = page.getByTestId('progress');
    await progress.waitFor();
    expect(await progress.getByRole('img').or(progress.locator('svg')).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Asking…' }).isDisabled()).toBe(true);
    await screenshot(page, 'in-progress');
    release();
    expect(await outcome(page)).toBe('answer');
    expect(await progress.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Ask', exact: true }).isEnabled()).toBe(true);
    await page.unroute(route);
  });

  it('shows field errors for invalid input and sends nothing', async () => {
    // Prepare
    const calls = recordApiCalls(page, stack.config.apiUrl);
    await fillQuestion(page, { partner: '  ', year: '1800', period: 'Q3', question: '' });

    // Act
    await ask(page);

    // Assess
    const summary = page.getByTestId('form-error-summary');
    await summary.waitFor();
    const text = await summary.textContent();
    // Each field named once: "Year must be …", not "Year: year must be …".
    expect(text).toContain('Partner must not be empty.');
    expect(text).toContain('Year must be 1900 or later.');
    expect(text).toContain('Question must not be empty.');
    expect(text).not.toMatch(/Year: year/i);
    // The previous answer does not stay beside the new mistakes.
    expect(await page.getByTestId('answer').count()).toBe(0);
    // Year's message grows the row; the period select's chevron stays inside the select's box.
    const select = await askForm(page).getByLabel('Period', { exact: true }).boundingBox();
    const chevron = await page.locator('#field-period ~ .amplify-select__icon').boundingBox();
    expect(select && chevron).toBeTruthy();
    if (select && chevron) {
      expect(chevron.y).toBeGreaterThanOrEqual(select.y);
      expect(chevron.y + chevron.height).toBeLessThanOrEqual(select.y + select.height);
    }
    expect(await askForm(page).getByLabel('Year', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('form-error-summary');
    await screenshot(page, 'invalid-input');
    expect(calls).toHaveLength(0);
  });

  it("puts the API's refusal into words, with the request id", async () => {
    // Prepare: a partner the sample core does not know answers 404 core_not_found.
    await fillQuestion(page, { ...ACME_REVENUE, partner: 'Hooli' });

    // Act
    await ask(page);

    // Assess
    const message = page.getByTestId('api-error-message');
    await message.waitFor();
    expect(await message.textContent()).toContain(
      'The service has no data for that request. No figures for partner "Hooli"',
    );
    expect(await page.getByTestId('api-error-request-id').textContent()).toMatch(/Request id: \S+/);
    await screenshot(page, 'not-found');
  });

  it('runs a recent question again', async () => {
    // Prepare
    const calls = recordApiCalls(page, stack.config.apiUrl);
    const recent = page.getByTestId('recent').getByRole('listitem');
    expect(await recent.count()).toBe(3);

    // Act: the oldest entry is the first question, about Acme's revenue.
    await recent
      .nth(2)
      .getByRole('button', { name: /^Ask again/ })
      .click();

    // Assess
    expect(await outcome(page)).toBe('answer');
    expect(await page.getByTestId('answer-text').textContent()).toContain('Acme Corp had revenue');
    expect(await askForm(page).getByLabel('Partner', { exact: true }).inputValue()).toBe('Acme Corp');
    expect(await askForm(page).getByLabel('Question', { exact: true }).inputValue()).toBe('What was the revenue?');
    expect(calls.filter((call) => call.method() === 'POST')).toHaveLength(1);
    // Asked again, the question moves to the top; it is not listed twice.
    expect(await recent.count()).toBe(3);
    expect(await recent.nth(0).textContent()).toContain('What was the revenue?');
  });

  it('can be used with the keyboard alone', async () => {
    // Prepare
    await fillQuestion(page, { partner: '', year: '', question: '' });
    await askForm(page).getByLabel('Partner', { exact: true }).focus();

    // Act: type, Tab from field to field, pick the period by typing its first letter, Enter on the button.
    await page.keyboard.type('Globex');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2023');
    await page.keyboard.press('Tab');
    await page.keyboard.type('F');
    await page.keyboard.press('Tab');
    await page.keyboard.type('What was the operating margin?');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    // Assess
    expect(await outcome(page)).toBe('answer');
    expect(await page.getByRole('heading', { name: 'Answer for Globex, 2023 FY' }).count()).toBe(1);
  });

  it('after sign-out the app holds no token and the API refuses a call without one', async () => {
    // Act
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Assess
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const tokens = await page.evaluate(() =>
      Object.keys(localStorage).filter(
        (key) => key.startsWith('CognitoIdentityServiceProvider.') && key.endsWith('Token'),
      ),
    );
    expect(tokens).toEqual([]);
    const direct = await fetch(`${stack.config.apiUrl}/inference`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'Revenue?' }),
    });
    expect(direct.status).toBe(401);
    expect(await direct.json()).toEqual({ message: 'Unauthorized' });
    await screenshot(page, 'signed-out');
  });
});
