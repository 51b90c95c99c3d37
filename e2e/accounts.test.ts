/**
 * Every Authenticator account flow against the local identity service, as a local user meets
 * them: sign in with SRP (the flow Amplify runs on AWS) with the demo credentials the sign-in page
 * offers; create an account with the code from the app's mailbox page; resend a code; sign in
 * after losing the code; reset a forgotten password; verify a contact once, and never again.
 */
import { ADMIN_USER, callCognito, loadLocalCredential } from '@gatehouse/local';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordIdentityCalls } from './support/amplify-storage';
import { ACME_REVENUE, ask, fillQuestion, openFreshPage, outcome, signIn } from './support/app-page';
import { type Browser, launchChromium, screenshot } from './support/chromium';
import { startTestStack, type TestStack } from './support/local-stack';
import { codeFromMailbox, mailCount } from './support/mailbox';

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

  const mailbox = (to: string, purpose: Parameters<typeof codeFromMailbox>[3], seenBefore = 0) =>
    codeFromMailbox(browser.context, stack.webUrl, to, purpose, seenBefore);
  const signedIn = () => page.getByTestId('signed-in-user');

  async function fillSignUp(email: string, password: string): Promise<void> {
    await page.getByRole('tab', { name: 'Create Account' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create Account' }).click();
  }

  async function confirmWith(code: string): Promise<void> {
    const codeField = page.getByLabel('Confirmation Code');
    await codeField.fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
  }

  it('offers the local demo credentials and signs in with USER_SRP_AUTH', async () => {
    // Prepare
    const hint = page.getByTestId('local-demo-hint');
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(stack.config.cognito.endpoint) && request.method() === 'POST')
        sent.push(request.postData() ?? '');
    });
    const calls = recordIdentityCalls(page, stack.config.cognito.endpoint);

    // Act
    await hint.waitFor();
    const hintText = await hint.textContent();
    await signIn(page, stack.config.demoUser);

    // Assess
    expect(hintText).toContain(stack.config.demoUser.username);
    expect(hintText).toContain(stack.config.demoUser.password);
    expect(calls.slice(0, 2)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(JSON.parse(sent[0] ?? '{}')).toMatchObject({ AuthFlow: 'USER_SRP_AUTH' });
    expect(sent.join('\n')).not.toContain(stack.config.demoUser.password);
  });

  it('creates an account with the code from the mailbox page and lands signed in, with no verify-contact step', async () => {
    // Prepare
    const email = 'new.user@gatehouse.local';

    // Act
    await fillSignUp(email, 'New-user-pass-1');
    await page.getByLabel('Confirmation Code').waitFor();
    await confirmWith(await mailbox(email, 'sign-up code'));

    // Assess
    await signedIn().waitFor();
    expect(await signedIn().textContent()).toBe(email);
    await fillQuestion(page, ACME_REVENUE);
    await ask(page);
    expect(await outcome(page)).toBe('answer');
    await screenshot(page, 'new-account');
  });

  it('resends the code, and the new code confirms', async () => {
    // Prepare
    const email = 'resend@gatehouse.local';
    await fillSignUp(email, 'Resend-pass-1');
    await page.getByLabel('Confirmation Code').waitFor();
    const before = await mailCount(browser.context, stack.webUrl, email, 'sign-up code');

    // Act
    await page.getByRole('button', { name: 'Resend Code' }).click();
    const resent = await mailbox(email, 'sign-up code', before);
    await confirmWith(resent);

    // Assess
    expect(before).toBe(1);
    await signedIn().waitFor();
    expect(await signedIn().textContent()).toBe(email);
  });

  it('signs in after the code was lost: sign-in leads to confirmation with a fresh code, then to sign-in', async () => {
    // Prepare: sign up, then leave before confirming.
    const email = 'lost.code@gatehouse.local';
    const password = 'Lost-code-pass-1';
    await fillSignUp(email, password);
    await page.getByLabel('Confirmation Code').waitFor();
    await page.close();
    page = await openFreshPage(browser.context, stack.webUrl);
    const before = await mailCount(browser.context, stack.webUrl, email, 'sign-up code');

    // Act
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Confirmation Code').waitFor();
    await confirmWith(await mailbox(email, 'sign-up code', before));
    // Confirmed outside a sign-up, Amplify does not sign in by itself: the form asks again, as on AWS.
    await signIn(page, { username: email, password });

    // Assess
    expect(await signedIn().textContent()).toBe(email);
  });

  it('resets a forgotten password with the mailed code, then signs in with the new one', async () => {
    // Prepare
    const password = 'Reset-admin-pass-2';
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN_USER.username);

    // Act
    await page.getByRole('button', { name: 'Send code' }).click();
    const codeField = page.getByRole('textbox', { name: 'Code' });
    await codeField.waitFor();
    await codeField.fill(await mailbox(ADMIN_USER.username, 'password reset code'));
    await page.getByLabel('New Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Submit' }).click();

    // Assess
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn(page, { username: ADMIN_USER.username, password });
    expect(await signedIn().textContent()).toBe(ADMIN_USER.username);
  });

  it('asks an unverified user to verify the address once, then never again', async () => {
    // Prepare: an account an administrator confirmed, so its address was never proven.
    const email = 'unverified@gatehouse.local';
    const password = 'Unverified-pass-1';
    const { cognito } = stack.config;
    await callCognito(cognito.endpoint, 'SignUp', { ClientId: cognito.clientId, Username: email, Password: password });
    await callCognito(
      cognito.endpoint,
      'AdminConfirmSignUp',
      { UserPoolId: cognito.userPoolId, Username: email },
      { credential: loadLocalCredential(stack.stateDir), region: cognito.region },
    );

    // Act
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Verify' }).click();
    const codeField = page.getByRole('textbox', { name: 'Code' });
    await codeField.waitFor();
    await codeField.fill(await mailbox(email, 'verification code'));
    await page.getByRole('button', { name: 'Submit' }).click();
    await signedIn().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, { username: email, password });

    // Assess: the second sign-in went straight to the workspace (signIn waits for it).
    expect(await signedIn().textContent()).toBe(email);
    expect(await page.getByRole('button', { name: 'Verify' }).count()).toBe(0);
  });
});
