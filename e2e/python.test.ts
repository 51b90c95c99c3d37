/**
 * The Python example in the browser, as an adopter would first try it: sign in with SRP, open the
 * route console (the example has no page of its own), send the route's prefilled example and read
 * the Python core's completion; send what the valibot schema refuses and read the edge's 422 field
 * errors; then the enriched route, whose Python core names the signed-in caller.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFreshPage, signIn } from './support/app-page';
import { type Browser, launchChromium, screenshot } from './support/chromium';
import { startTestStack, type TestStack } from './support/local-stack';

const PYTHON_CONFIG = fileURLToPath(new URL('../examples/python/gatehouse.config.ts', import.meta.url));

describe('the Python example in the route console', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack({ config: PYTHON_CONFIG });
    browser = await launchChromium();
    page = await openFreshPage(browser.context, stack.webUrl);
    await signIn(page, stack.config.demoUser);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const form = (routeKey: string) => page.getByRole('form', { name: `Request to ${routeKey}` });
  const status = async () => {
    await page.getByTestId('console-outcome').waitFor();
    return (await page.getByTestId('console-status').textContent())?.trim();
  };
  const body = async () => JSON.parse((await page.getByTestId('console-body').textContent()) ?? '');

  it("sends the route's prefilled example and shows 200 with the Python core's completion", async () => {
    // Prepare
    const request = form('POST /completions');
    const editor = request.getByLabel('Body (JSON)');
    expect(await page.getByLabel('Route', { exact: true }).inputValue()).toBe('POST /completions');
    expect(JSON.parse(await editor.inputValue())).toEqual({
      prompt: 'The quick brown fox jumps over the lazy dog.',
      temperature: 0.7,
      maxTokens: 64,
    });

    // Act
    await request.getByRole('button', { name: 'Send' }).click();

    // Assess
    expect(await status()).toBe('200');
    const answer = await body();
    expect(answer).toMatchObject({
      finishReason: 'stop',
      usage: { promptTokens: 10, completionTokens: 10, totalTokens: 20 },
      stats: { words: 9, sentences: 1 },
    });
    // The same ten tokens, in an order the temperature chose.
    expect(
      answer.completion
        .split(/\b/)
        .filter((t: string) => t.trim())
        .sort(),
    ).toEqual('The quick brown fox jumps over the lazy dog .'.split(' ').sort());
    await screenshot(page, 'python-200');
  });

  it("sends what the schema refuses and shows the edge's 422 with one error per field", async () => {
    // Prepare
    const request = form('POST /completions');
    await request
      .getByLabel('Body (JSON)')
      .fill(JSON.stringify({ prompt: '   ', temperature: 2.5, maxTokens: 10_000 }));

    // Act
    await request.getByRole('button', { name: 'Send' }).click();

    // Assess
    expect(await status()).toBe('422');
    const errors = (await page.getByTestId('console-field-errors').textContent()) ?? '';
    expect(errors).toMatch(/prompt must not be empty/i);
    expect(errors).toMatch(/temperature must be 2 or less/i);
    expect(errors).toMatch(/maxTokens must be 4096 or less/i);
    expect(await body()).toMatchObject({ code: 'validation_failed', status: 422 });
    await screenshot(page, 'python-422');
  });

  it('gets a saved prompt through the enriched route: the path parameter and the caller reach Python', async () => {
    // Prepare
    await page.getByLabel('Route', { exact: true }).selectOption('GET /prompts/{id}');
    const request = form('GET /prompts/{id}');
    await request.getByLabel('{id}').fill('haiku');

    // Act
    await request.getByRole('button', { name: 'Send' }).click();

    // Assess
    expect(await status()).toBe('200');
    expect(await body()).toMatchObject({
      id: 'haiku',
      requestedBy: { email: stack.config.demoUser.username },
      routeKey: 'GET /prompts/{id}',
    });
  });
});

describe('the Python example’s job route in the route console', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack({ config: PYTHON_CONFIG });
    browser = await launchChromium();
    page = await openFreshPage(browser.context, stack.webUrl);
    await signIn(page, stack.config.demoUser);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const form = (routeKey: string) => page.getByRole('form', { name: `Request to ${routeKey}` });

  it('answers 504 for a 35 s core on a normal route, and runs the same core as a job to its answer', async () => {
    // A normal route: the edge gives up at its deadline.
    await page.getByLabel('Route', { exact: true }).selectOption('POST /digests/now');
    await form('POST /digests/now').getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('console-outcome').waitFor({ timeout: 30_000 });
    expect((await page.getByTestId('console-status').textContent())?.trim()).toBe('504');

    // The job route: queued, then running with its elapsed time, then the answer.
    await page.getByLabel('Route', { exact: true }).selectOption('POST /digests');
    const request = form('POST /digests');
    expect(JSON.parse(await request.getByLabel('Body (JSON)').inputValue())).toMatchObject({ seconds: 35 });
    await request.getByRole('button', { name: 'Send' }).click();
    const job = page.getByTestId('console-job');
    await page.locator('[data-testid="console-job"][data-status="running"]').waitFor({ timeout: 15_000 });
    expect(await job.textContent()).toMatch(/Running for \d+ s/);
    await screenshot(page, 'python-job-running');
    await page.getByTestId('console-outcome').waitFor({ timeout: 60_000 });
    expect((await page.getByTestId('console-status').textContent())?.trim()).toBe('200');
    expect(JSON.parse((await page.getByTestId('console-body').textContent()) ?? '')).toMatchObject({
      thoughtSeconds: 35,
      completion: 'An old silent pond. A frog jumps',
    });
    expect(await job.getAttribute('data-status')).toBe('succeeded');
    expect(await job.textContent()).toMatch(/Done after \d+ s/);
  });
});
