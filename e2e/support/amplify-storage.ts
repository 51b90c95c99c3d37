/// <reference lib="dom" />
/**
 * Reaches into Amplify's token storage (localStorage, `CognitoIdentityServiceProvider.<client>.*`)
 * to age the session the way time would: tokens whose `exp` has passed. Amplify decides to refresh
 * from the stored `exp` alone, so rewriting the payload is enough to send it down its real refresh
 * path; the signature no longer matches, so a token that slipped through unrefreshed would be
 * refused by the gateway.
 */
import type { Page, Request } from 'playwright-core';

/**
 * Rewrites the stored ID and access tokens' claims. `expire` moves `exp` into the past (Amplify
 * refreshes before use); otherwise the claims stay valid and only the signature breaks, so
 * Amplify sends the token and the gateway refuses it with 401.
 */
export async function tamperStoredTokens(
  page: Page,
  options: { expire: boolean; breakRefreshToken: boolean },
): Promise<string> {
  return page.evaluate(({ expire, breakRefreshToken }) => {
    const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const json = (segment: string) => JSON.parse(atob(segment.replace(/-/g, '+').replace(/_/g, '/')));
    let tamperedIdToken = '';
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith('CognitoIdentityServiceProvider.')) continue;
      if (key.endsWith('.idToken') || key.endsWith('.accessToken')) {
        const [header, payload, signature] = (localStorage.getItem(key) ?? '').split('.');
        if (!header || !payload || !signature) throw new Error(`${key} is not a JWT`);
        const claims = json(payload);
        if (expire) claims.exp = Math.floor(Date.now() / 1000) - 60;
        else claims.tampered = true;
        const token = `${header}.${base64url(JSON.stringify(claims))}.${signature}`;
        localStorage.setItem(key, token);
        if (key.endsWith('.idToken')) tamperedIdToken = token;
      }
      if (breakRefreshToken && key.endsWith('.refreshToken')) localStorage.setItem(key, 'revoked-refresh-token');
    }
    if (!tamperedIdToken) throw new Error('no ID token in storage: is anyone signed in?');
    return tamperedIdToken;
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
