/**
 * Expired sessions in the browser. An expired ID token is renewed through Amplify's real refresh
 * call (`GetTokensFromRefreshToken`, answered by the local identity service) before the request
 * goes out, so the user sees only the answer; a token the gateway refuses is refreshed once and
 * the request retried. A refresh that fails signs the user out cleanly, with a message saying
 * why, and sends nothing to the API. Signing out cancels a request still in flight. Where the
 * sign-in is not what admits callers (an API-key authorizer), a refusal never signs anyone out.
 */

import { SESSION_ENDED_MESSAGE } from '@gatehouse/client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordIdentityCalls, storedIdToken, tamperStoredTokens } from './support/amplify-storage';
import { ACME_REVENUE, ask, fillQuestion, openFreshPage, outcome, recordApiCalls, signIn } from './support/app-page';
import { type Browser, launchChromium, screenshot } from './support/chromium';
import { startTestStack, type TestStack } from './support/local-stack';

describe('sessions', () => {
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
    await signIn(page, stack.config.demoUser);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refreshes an expired token without the user noticing', async () => {
    // Prepare
    const expired = await tamperStoredTokens(page, { expire: true, breakRefreshToken: false });
    const identityCalls = recordIdentityCalls(page, stack.config.cognito.endpoint);
    const apiCalls = recordApiCalls(page, stack.config.apiUrl);
    await fillQuestion(page, ACME_REVENUE);

    // Act
    await ask(page);

    // Assess
    expect(await outcome(page)).toBe('answer');
    expect(identityCalls).toEqual(['GetTokensFromRefreshToken']);
    const posts = apiCalls.filter((call) => call.method() === 'POST');
    expect(posts).toHaveLength(1);
    const sent = await posts[0]?.headerValue('authorization');
    expect(sent).not.toBe(expired);
    expect(sent).toBe(await storedIdToken(page));
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'refreshed');
  });

  it('answers a 401 from the API with one forced refresh and one retry', async () => {
    // Prepare: claims still valid, so Amplify hands the token out; its signature no longer matches.
    const rejected = await tamperStoredTokens(page, { expire: false, breakRefreshToken: false });
    const identityCalls = recordIdentityCalls(page, stack.config.cognito.endpoint);
    const apiCalls = recordApiCalls(page, stack.config.apiUrl);
    await fillQuestion(page, ACME_REVENUE);

    // Act
    await ask(page);

    // Assess
    expect(await outcome(page)).toBe('answer');
    const posts = apiCalls.filter((call) => call.method() === 'POST');
    expect(posts).toHaveLength(2);
    expect(await posts[0]?.headerValue('authorization')).toBe(rejected);
    expect((await posts[0]?.response())?.status()).toBe(401);
    expect(await posts[1]?.headerValue('authorization')).toBe(await storedIdToken(page));
    expect((await posts[1]?.response())?.status()).toBe(200);
    expect(identityCalls).toEqual(['GetTokensFromRefreshToken']);
  });

  it('cancels the request in flight when the user signs out', async () => {
    // Prepare: hold the request at the browser so it is still running at sign-out.
    const route = `${stack.config.apiUrl}/inference`;
    let arrived: () => void = () => {};
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    await page.route(route, () => arrived());
    const failed = page.waitForEvent(
      'requestfailed',
      (request) => request.url() === route && request.method() === 'POST',
    );
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await fillQuestion(page, ACME_REVENUE);
    await ask(page);
    await requestArrived;

    // Act
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Assess
    expect((await failed).failure()?.errorText).toBe('net::ERR_ABORTED');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('signs the user out with a message when the refresh fails', async () => {
    // Prepare
    await tamperStoredTokens(page, { expire: true, breakRefreshToken: true });
    const identityCalls = recordIdentityCalls(page, stack.config.cognito.endpoint);
    const apiCalls = recordApiCalls(page, stack.config.apiUrl);
    await fillQuestion(page, ACME_REVENUE);

    // Act
    await ask(page);

    // Assess
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(SESSION_ENDED_MESSAGE);
    expect(identityCalls).toContain('GetTokensFromRefreshToken');
    expect(apiCalls.filter((call) => call.method() === 'POST')).toHaveLength(0);
    expect(await storedIdToken(page)).toBeUndefined();
    await screenshot(page, 'refresh-failed');
  });
});

describe('a refusal where the sign-in does not admit the caller', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack({ auth: { mode: 'lambda', lambda: { kind: 'api-key' } } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('says the API wants an API key and keeps the user signed in, without a refresh or retry', async () => {
    // Prepare
    const page = await openFreshPage(browser.context, stack.webUrl);
    await signIn(page, stack.config.demoUser);
    const calls = recordApiCalls(page, stack.config.apiUrl);
    const identity = recordIdentityCalls(page, stack.config.cognito.endpoint);
    await fillQuestion(page, ACME_REVENUE);

    // Act
    await ask(page);

    // Assess
    expect(await outcome(page)).toMatch(/^error: This API wants an API key/);
    expect(await page.getByTestId('api-error-message').textContent()).toContain('signing in again will not help');
    expect(await page.getByTestId('signed-in-user').isVisible()).toBe(true);
    expect(calls.filter((call) => call.method() === 'POST')).toHaveLength(1);
    expect(identity.filter((target) => target.includes('GetTokensFromRefreshToken'))).toHaveLength(0);
    await screenshot(page, 'api-key-refusal');
  });
});
