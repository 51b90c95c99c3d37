/// <reference lib="dom" />
/**
 * Reaches into Amplify's token storage (localStorage, `CognitoIdentityServiceProvider.<client>.*`)
 * to age the session the way time would: tokens whose `exp` has passed. Amplify decides to refresh
 * from the stored `exp` alone, so rewriting the payload is enough to send it down its real refresh
 * path; the signature no longer matches, so a token that slipped through unrefreshed would be
 * refused by the gateway.
 */
import type { Page, Request } from 'playwright-core';

export async function expireStoredTokens(page: Page, options: { breakRefreshToken: boolean }): Promise<string> {
  return page.evaluate(({ breakRefreshToken }) => {
    const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const json = (segment: string) => JSON.parse(atob(segment.replace(/-/g, '+').replace(/_/g, '/')));
    let expiredIdToken = '';
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith('CognitoIdentityServiceProvider.')) continue;
      if (key.endsWith('.idToken') || key.endsWith('.accessToken')) {
        const [header, payload, signature] = (localStorage.getItem(key) ?? '').split('.');
        if (!header || !payload || !signature) throw new Error(`${key} is not a JWT`);
        const claims = json(payload);
        claims.exp = Math.floor(Date.now() / 1000) - 60;
        const token = `${header}.${base64url(JSON.stringify(claims))}.${signature}`;
        localStorage.setItem(key, token);
        if (key.endsWith('.idToken')) expiredIdToken = token;
      }
      if (breakRefreshToken && key.endsWith('.refreshToken')) localStorage.setItem(key, 'revoked-refresh-token');
    }
    if (!expiredIdToken) throw new Error('no ID token in storage: is anyone signed in?');
    return expiredIdToken;
  }, options);
}

export async function storedIdToken(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find(
      (k) => k.startsWith('CognitoIdentityServiceProvider.') && k.endsWith('.idToken'),
    );
    return key ? (localStorage.getItem(key) ?? undefined) : undefined;
  });
}

/** Records the Cognito operations (`x-amz-target`) the page sends to the identity endpoint. */
export function recordIdentityCalls(page: Page, endpoint: string): string[] {
  const operations: string[] = [];
  page.on('request', (request: Request) => {
    if (!request.url().startsWith(endpoint) || request.method() !== 'POST') return;
    const target = request.headers()['x-amz-target'];
    if (target) operations.push(target.replace('AWSCognitoIdentityProviderService.', ''));
  });
  return operations;
}
