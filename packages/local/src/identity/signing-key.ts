/**
 * The RS256 key the local pool signs tokens with: generated on first start and kept in
 * `<stateDir>/.cognito/signing-key.json` (mode 0600), so tokens survive a restart while no two
 * state directories — and no published package — share a key. The JWKS carries its public half.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
}

export const SIGNING_KEY_FILE = 'signing-key.json';

export function signingKeyFile(stateDir: string): string {
  return path.join(stateDir, '.cognito', SIGNING_KEY_FILE);
}

export async function loadSigningKey(stateDir: string): Promise<SigningKey> {
  const file = signingKeyFile(stateDir);
  let privateJwk = readStored(file);
  if (privateJwk) chmodSync(file, 0o600);
  else {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    privateJwk = await exportJWK(privateKey);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = privateJwk;
  const kid = await calculateJwkThumbprint(publicPart);
  const publicJwk: JWK = { ...publicPart, kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateKey: createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' }),
    publicKey: createPublicKey({ key: publicPart as JsonWebKey, format: 'jwk' }),
    publicJwk,
  };
}

function readStored(file: string): JWK | undefined {
  try {
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    return jwk.kty === 'RSA' && typeof jwk.d === 'string' ? jwk : undefined;
  } catch {
    return undefined;
  }
}
