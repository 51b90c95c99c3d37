/**
 * Tokens the local identity service would accept, minted by tests: it signs with a key kept in
 * the state directory (`.cognito/signing-key.json`), so a test holding that directory can make
 * expired, foreign-audience or otherwise odd tokens on demand.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signingKeyFile } from '@gatehouse/local';
import { calculateJwkThumbprint, type JWTPayload, SignJWT } from 'jose';

export function emulatorKey(stateDir: string): { key: KeyObject; jwk: JsonWebKey } {
  const jwk = JSON.parse(readFileSync(signingKeyFile(stateDir), 'utf8')) as JsonWebKey;
  return { key: createPrivateKey({ key: jwk, format: 'jwk' }), jwk };
}

/** The `kid` the local identity service signs with: the key's JWK thumbprint. */
export async function emulatorKid(stateDir: string): Promise<string> {
  const { e, kty, n } = emulatorKey(stateDir).jwk;
  return calculateJwkThumbprint({ e, kty, n } as { e: string; kty: string; n: string });
}

/** An ID token for the stack's pool and client, valid for ten minutes unless `claims` say otherwise. */
export async function mintEmulatorToken(
  cognito: { issuer: string; clientId: string },
  claims: JWTPayload,
  options: { stateDir: string; key?: KeyObject; kid?: string },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const own = emulatorKey(options.stateDir);
  const kid = options.kid ?? (await emulatorKid(options.stateDir));
  return new SignJWT({
    token_use: 'id',
    sub: 'someone',
    iss: cognito.issuer,
    aud: cognito.clientId,
    iat: now - 60,
    exp: now + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(options.key ?? own.key);
}
