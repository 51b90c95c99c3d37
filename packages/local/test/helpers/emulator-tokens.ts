/**
 * Tokens the local identity emulator would accept, minted by tests: its signing key ships inside
 * the cognito-local package (the very reason a deployed API must never trust that issuer), so a
 * test can make expired, foreign-audience or otherwise odd tokens on demand.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { type JWTPayload, SignJWT } from 'jose';

export function emulatorKey(): KeyObject {
  const { pem } = createRequire(import.meta.url)('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };
  return createPrivateKey(pem);
}

/** An ID token for the stack's pool and client, valid for ten minutes unless `claims` say otherwise. */
export function mintEmulatorToken(
  cognito: { issuer: string; clientId: string },
  claims: JWTPayload = {},
  options: { key?: KeyObject; kid?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    token_use: 'id',
    sub: 'someone',
    iss: cognito.issuer,
    aud: cognito.clientId,
    iat: now - 60,
    exp: now + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'CognitoLocal' })
    .sign(options.key ?? emulatorKey());
}
