/**
 * The app served from an origin the API does not allow: the browser blocks the call, and the
 * user reads that this site is not allowed (naming it), not "Failed to fetch".
 */
import { type AddressInfo, createServer } from 'node:net';
import { startWebDevServer, type WebDevServer } from '@gatehouse/web/dev-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CONFIG } from '../scripts/bundle-lambda';
import { ACME_REVENUE, ask, fillQuestion, signIn } from './support/app-page';
import { type Browser, launchChromium, screenshot } from './support/chromium';
import { startTestStack, type TestStack } from './support/local-stack';

/** A port free now, for a server that must be named before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('a page on an origin the API does not allow', () => {
  let stack: TestStack;
  let stray: WebDevServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The stray page may sign in (Cognito answers any origin on AWS); only the API refuses it.
    const strayPort = await freePort();
    stack = await startTestStack({ identityOrigins: [`http://127.0.0.1:${strayPort}`] });
    stray = await startWebDevServer({
      host: '127.0.0.1',
      port: strayPort,
      webConfig: stack.webConfig,
      projectConfigFile: SAMPLE_CONFIG,
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stray?.close();
    await stack?.stop();
  });

  it('gets a readable CORS failure', async () => {
    // Prepare
    const origin = new URL(stray.url).origin;
    expect(stack.config.allowedOrigins).not.toContain(origin);
    await page.goto(stray.url);
    await signIn(page, stack.config.demoUser);
    await fillQuestion(page, ACME_REVENUE);

    // Act
    await ask(page);

    // Assess
    const error = page.getByTestId('api-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('This site is not allowed to call the API');
    expect(await page.getByTestId('api-error-message').textContent()).toContain(
      `does not accept requests from this site (${origin}) (a CORS refusal)`,
    );
    await screenshot(page, 'cors-refused');
  });
});
