/**
 * The app without a usable `gatehouse-config.json` shows a page that says what is wrong and how
 * to generate the file, instead of a blank screen. Needs no stack: only the web dev server.
 */
import type { WebConfig } from '@gatehouse/contract';
import { startWebDevServer, type WebDevServer } from '@gatehouse/web/dev-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium, screenshot } from './support/chromium';

describe('the app without a valid configuration', () => {
  let browser: Browser;
  let page: Page;
  const servers: WebDevServer[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  it('explains a malformed configuration and names the command that writes it', async () => {
    // Prepare: a config without the required fields, as a hand-edited file might be.
    const broken = { apiUrl: 'http://127.0.0.1:9/prod' } as unknown as WebConfig;
    const web = await startWebDevServer({ host: '127.0.0.1', port: 0, webConfig: broken });
    servers.push(web);

    // Act
    await page.goto(web.url);

    // Assess
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The app configuration is not valid');
    expect(await page.locator('main').textContent()).toContain('npm start');
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    await screenshot(page, 'config-malformed');
  });
});
