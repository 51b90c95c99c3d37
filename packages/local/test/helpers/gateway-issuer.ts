/**
 * A JWT issuer for gateway tests: RSA keys, a JWKS (and optionally a discovery document) served on
 * a free loopback port, and a signer for Cognito-shaped ID and access tokens — or deliberately bad
 * ones (other keys, other algorithms, `alg: none`, tampered payloads). Counts JWKS fetches so tests
 * can see caching and refetching.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface IssuerKey {
  kid: string;
  alg: string;
  privateKey: PrivateKey;
  jwk: JWK;
}

export interface SignOptions {
  kid?: string;
  alg?: string;
  key?: PrivateKey;
  /** Seconds from now; negative for an expired token; `null` for a token without `exp`. */
  expiresIn?: number | null;
  /** Seconds from now for `iat` (default 0: now). */
  issuedIn?: number;
  issuer?: string;
}

export interface GatewayTestIssuer {
  issuer: string;
  jwksUri: string;
  clientId: string;
  jwksFetches(): number;
  /** The paths the JWKS was fetched from, in order. */
  jwksPaths(): string[];
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  idToken(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  accessToken(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  /** A key pair that is not in the JWKS. */
  foreignKey(alg?: string): Promise<PrivateKey>;
  /** Adds a key to the served JWKS (key rotation). */
  addKey(kid: string): Promise<IssuerKey>;
  close(): Promise<void>;
}

export async function makeKey(kid: string, alg = 'RS256'): Promise<IssuerKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface IssuerServerOptions {
  discovery?: { jwksUri: string };
  /** Extra bytes of padding in the JWKS document (to cross the 150,000-byte limit). */
  jwksPaddingBytes?: number;
  /** Delay before the JWKS answer (to cross the 1,500 ms fetch timeout). */
  jwksDelayMs?: number;
}

export async function startGatewayIssuer(options: IssuerServerOptions = {}): Promise<GatewayTestIssuer> {
  const keys: IssuerKey[] = [await makeKey('key-1')];
  const fetchedPaths: string[] = [];
  const pending = new Set<NodeJS.Timeout>();
  let issuer = '';
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith('/.well-known/jwks.json') || req.url?.endsWith('/keys')) {
      fetchedPaths.push(req.url);
      const document = JSON.stringify({
        keys: keys.map((k) => k.jwk),
        ...(options.jwksPaddingBytes ? { padding: 'x'.repeat(options.jwksPaddingBytes) } : {}),
      });
      const timer = setTimeout(() => {
        pending.delete(timer);
        res.writeHead(200, { 'content-type': 'application/json' }).end(document);
      }, options.jwksDelayMs ?? 0);
      pending.add(timer);
      return;
    }
    if (options.discovery && req.url?.endsWith('/.well-known/openid-configuration')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: options.discovery.jwksUri.replace('{base}', baseUrl()) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${baseUrl()}/us-east-1_GatewayTest`;
  const clientId = 'gateway-test-client';
  const first = keys[0] as IssuerKey;

  const sign: GatewayTestIssuer['sign'] = (claims, signOptions = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: signOptions.alg ?? 'RS256', kid: signOptions.kid ?? first.kid })
      .setIssuer(signOptions.issuer ?? issuer)
      .setIssuedAt(now + (signOptions.issuedIn ?? 0));
    if (signOptions.expiresIn !== null) jwt.setExpirationTime(now + (signOptions.expiresIn ?? 3600));
    return jwt.sign(signOptions.key ?? first.privateKey);
  };

  return {
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    clientId,
    jwksFetches: () => fetchedPaths.length,
    jwksPaths: () => [...fetchedPaths],
    sign,
    idToken: (claims = {}, signOptions) =>
      sign(
        {
          sub: '7d8ca528-4931-4254-9273-ea5ee853f271',
          aud: clientId,
          token_use: 'id',
          auth_time: Math.floor(Date.now() / 1000),
          'cognito:username': 'ana',
          'cognito:groups': ['admins', 'users'],
          email: 'ana@example.com',
          email_verified: true,
          ...claims,
        },
        signOptions,
      ),
    accessToken: (claims = {}, signOptions) =>
      sign(
        {
          sub: '7d8ca528-4931-4254-9273-ea5ee853f271',
          client_id: clientId,
          token_use: 'access',
          scope: 'aws.cognito.signin.user.admin',
          username: 'ana',
          ...claims,
        },
        signOptions,
      ),
    foreignKey: async (alg = 'RS256') => (await makeKey('foreign', alg)).privateKey,
    addKey: async (kid) => {
      const key = await makeKey(kid);
      keys.push(key);
      return key;
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
