/**
 * Builds JWTs byte by byte with `node:crypto`, for the attack suites: any header (`alg: "NoNe"`,
 * an embedded `jwk`, a `jku`, a `kid` of `../../dev/null`), any payload, and any signature —
 * RSA, HMAC with whatever secret, none, or a raw string — which no JWT library would agree to
 * produce. Also an attacker's own key server, so a suite can prove a `jku`/`x5u` is never followed.
 */
import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JwtSigner =
  | { kind: 'rsa'; hash: 'sha256' | 'sha384' | 'sha512'; key: KeyObject }
  | { kind: 'rsa-pss'; hash: 'sha256'; key: KeyObject }
  | { kind: 'ec'; key: KeyObject }
  | { kind: 'hmac'; hash: 'sha256' | 'sha384' | 'sha512'; secret: Buffer }
  | { kind: 'none' }
  | { kind: 'raw'; signature: string };

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** `header.payload.signature`, each part exactly as the signer makes it. */
export function forgeJwt(header: Record<string, unknown>, payload: Record<string, unknown>, signer: JwtSigner): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${signature(input, signer)}`;
}

function signature(input: string, signer: JwtSigner): string {
  const data = Buffer.from(input);
  switch (signer.kind) {
    case 'rsa':
      return sign(signer.hash, data, signer.key).toString('base64url');
    case 'rsa-pss':
      return sign(signer.hash, data, { key: signer.key, padding: 6, saltLength: 32 }).toString('base64url');
    case 'ec':
      return sign('sha256', data, { key: signer.key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    case 'hmac':
      return createHmac(signer.hash, signer.secret).update(data).digest('base64url');
    case 'none':
      return '';
    case 'raw':
      return signer.signature;
  }
}

export interface AttackerKeys {
  /** The attacker's private key, its kid, and its public JWK. */
  key: KeyObject;
  kid: string;
  jwk: Record<string, unknown>;
  /** A JWKS holding the attacker's key, for `jku`. */
  jwksUrl: string;
  /** Any other URL on the attacker's server, for `x5u`. */
  x5uUrl: string;
  /** Requests the attacker's server has received: any at all means a verifier followed a header. */
  fetches(): number;
  close(): Promise<void>;
}

export async function startAttackerKeys(): Promise<AttackerKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'attacker-key';
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    key: privateKey,
    kid,
    jwk,
    jwksUrl: `${base}/.well-known/jwks.json`,
    x5uUrl: `${base}/cert.pem`,
    fetches: () => fetches,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
