/**
 * A token issuer for tests: an RSA key pair, a JWKS served on a free loopback port, and a signer
 * that makes Cognito-shaped ID and access tokens (or deliberately broken ones).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface TestIssuer {
  issuer: string;
  jwksUri: string;
  clientId: string;
  sign(claims: JWTPayload, options?: { kid?: string; expiresIn?: string | number; key?: SigningKey }): Promise<string>;
  idToken(claims?: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith('/.well-known/jwks.json')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/us-east-1_TestPool`;
  const clientId = 'test-client-id';

  const sign: TestIssuer['sign'] = (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'test-key' })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.key ?? privateKey);

  return {
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    clientId,
    sign,
    idToken: (claims = {}) =>
      sign({
        sub: 'user-sub-1',
        aud: clientId,
        token_use: 'id',
        'cognito:username': 'ana',
        email: 'ana@example.com',
        email_verified: true,
        ...claims,
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
