import { parseAllowedOrigins } from '@gatehouse/contract';
import { SAMPLE_API } from '@gatehouse/testing';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthorizerConfigError, type GatewayApiDescription, startGateway } from '../src/gateway';
import { type GatewayFixture, startGatewayFixture, WIDE_API } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';
import { startGatewayIssuer } from './helpers/gateway-issuer';
import { startLambdaStub } from './helpers/gateway-lambda-stub';
import { testCredential } from './helpers/test-credential';

const body = JSON.stringify({ partner: 'Acme', year: 2024, period: 'Q3', question: 'Revenue?' });

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('gateway JWT authorizer', () => {
  let f: GatewayFixture;
  const call = (authorization: string | undefined, path = '/prod/inference', method = 'POST') =>
    send(`${f.gateway.url}${path}`, {
      method,
      headers: [
        ['content-type', 'application/json'],
        ...(authorization === undefined ? [] : [['authorization', authorization] as [string, string]]),
      ],
      ...(method === 'POST' ? { body } : {}),
    });

  beforeAll(async () => {
    f = await startGatewayFixture({ api: WIDE_API });
  });
  afterAll(() => f.close());

  it('admits a valid ID token (bare) and hands its claims to the Lambda as strings', async () => {
    // Prepare
    const token = await f.issuer.idToken();
    // Act
    const res = await call(token);
    // Assess
    expect(res.status).toBe(200);
    const jwt = f.lambda.invocations.at(-1)?.event.requestContext.authorizer?.jwt;
    expect(jwt?.scopes).toBeNull();
    expect(jwt?.claims).toMatchObject({
      aud: f.issuer.clientId,
      iss: f.issuer.issuer,
      'cognito:groups': '[admins users]',
      email_verified: 'true',
      token_use: 'id',
    });
    expect(jwt?.claims.exp).toMatch(/^\d+$/);
    expect(Object.values(jwt?.claims ?? {}).every((v) => typeof v === 'string')).toBe(true);
  });

  it('refuses a token it admitted before once the token has expired (a verified token is remembered, its times are not)', async () => {
    // Prepare
    const token = await f.issuer.idToken({}, { expiresIn: 60 });
    expect((await call(token)).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      // Act
      const res = await call(token);
      // Assess
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('error_description="the token has expired"');
    } finally {
      vi.useRealTimers();
    }
  });

  it('admits a valid ID token with the Bearer prefix', async () => {
    expect((await call(`Bearer ${await f.issuer.idToken()}`)).status).toBe(200);
  });

  it('admits a valid access token through client_id when it has no aud', async () => {
    // Act
    const res = await call(`Bearer ${await f.issuer.accessToken()}`);
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocations.at(-1)?.event.requestContext.authorizer?.jwt?.claims.client_id).toBe(f.issuer.clientId);
  });

  it('answers 401 without a challenge error when the token is missing, and never calls the Lambda', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await call(undefined);
    // Assess
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ message: 'Unauthorized' });
    expect(res.headers['www-authenticate']).toBe('Bearer scope=""');
    expect(f.lambda.invocations.length).toBe(before);
    expect(f.log.at(-1)?.authorizerError).toBe('the request has no Authorization header');
  });

  const rejections: [string, () => Promise<string>, string][] = [
    [
      'a token forged with another key under the same kid',
      async () => f.issuer.idToken({}, { key: await f.issuer.foreignKey() }),
      'the token signature is invalid',
    ],
    [
      'a tampered payload',
      async () => {
        const [header, , signature] = (await f.issuer.idToken()).split('.');
        return `${header}.${base64url({ sub: 'someone-else', aud: f.issuer.clientId, iss: f.issuer.issuer, exp: 9999999999 })}.${signature}`;
      },
      'the token signature is invalid',
    ],
    ['an expired token', () => f.issuer.idToken({}, { expiresIn: -60, issuedIn: -3700 }), 'the token has expired'],
    ['a token without exp', () => f.issuer.idToken({}, { expiresIn: null }), 'the token has no valid exp claim'],
    [
      'a token whose nbf is in the future',
      () => f.issuer.idToken({ nbf: Math.floor(Date.now() / 1000) + 600 }),
      'the token is not valid yet',
    ],
    [
      'a token whose iat is in the future',
      () => f.issuer.idToken({}, { issuedIn: 600 }),
      'the token was issued in the future',
    ],
    [
      'a token from another issuer',
      () => f.issuer.idToken({}, { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }),
      'the token does not have a valid issuer',
    ],
    [
      'a wrong aud with the right client_id',
      () => f.issuer.idToken({ aud: 'another-client', client_id: f.issuer.clientId }),
      'the token does not have a valid audience',
    ],
    [
      'an unknown kid',
      async () => f.issuer.idToken({}, { kid: 'no-such-key', key: await f.issuer.foreignKey() }),
      'the token kid does not match any key of the issuer',
    ],
    [
      'alg: none',
      async () =>
        new UnsecuredJWT({ sub: 'x', aud: f.issuer.clientId })
          .setIssuer(f.issuer.issuer)
          .setExpirationTime('1h')
          .encode(),
      'signing method none is invalid',
    ],
    [
      'HS256 signed with the public key material as secret',
      () =>
        new SignJWT({ sub: 'x', aud: f.issuer.clientId })
          .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
          .setIssuer(f.issuer.issuer)
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!')),
      'signing method HS256 is invalid',
    ],
    [
      'ES256',
      async () => f.issuer.idToken({}, { alg: 'ES256', key: await f.issuer.foreignKey('ES256') }),
      'signing method ES256 is invalid',
    ],
    [
      'a token without kid',
      async () => {
        const [, payload, signature] = (await f.issuer.idToken()).split('.');
        return `${base64url({ alg: 'RS256' })}.${payload}.${signature}`;
      },
      'the token has no kid',
    ],
    ['a value that is not a JWT', async () => 'not-a-jwt', 'the token is not a well-formed JWT'],
  ];

  it.each(rejections)("rejects %s with 401 and AWS's challenge", async (_, mint, description) => {
    // Prepare
    const token = await mint();
    const before = f.lambda.invocations.length;
    // Act
    const res = await call(`Bearer ${token}`);
    // Assess
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ message: 'Unauthorized' });
    expect(res.headers['www-authenticate']).toBe(
      `Bearer scope="" error="invalid_token" error_description="${description}"`,
    );
    expect(f.lambda.invocations.length).toBe(before);
  });

  it('answers 403 Forbidden when the token has none of the route scopes, and passes the scopes when it has one', async () => {
    // Act
    const without = await call(`Bearer ${await f.issuer.accessToken()}`, '/prod/admin', 'GET');
    const withScope = await call(
      `Bearer ${await f.issuer.accessToken({ scope: 'openid gatehouse/admin' })}`,
      '/prod/admin',
      'GET',
    );
    // Assess
    expect(without.status).toBe(403);
    expect(without.json()).toEqual({ message: 'Forbidden' });
    expect(withScope.status).toBe(200);
    expect(f.lambda.invocations.at(-1)?.event.requestContext.authorizer?.jwt?.scopes).toEqual([
      'openid',
      'gatehouse/admin',
    ]);
  });

  it('names the route scopes in the challenge of a scoped route', async () => {
    const res = await call('Bearer not-a-jwt', '/prod/admin', 'GET');
    expect(res.headers['www-authenticate']).toBe(
      'Bearer scope="gatehouse/admin" error="invalid_token" error_description="the token is not a well-formed JWT"',
    );
  });

  it('refuses Bearer followed by a no-break space instead of an ASCII space', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act: a Buffer body keeps Node's client from re-encoding the head as UTF-8, so 0xA0 goes as one byte
    const res = await send(`${f.gateway.url}/prod/inference`, {
      method: 'POST',
      headers: [
        ['content-type', 'application/json'],
        ['authorization', `Bearer\u00a0${await f.issuer.idToken()}`],
      ],
      body: Buffer.from(body),
    });
    // Assess
    expect(res.status).toBe(401);
    expect(f.lambda.invocations.length).toBe(before);
  });

  it('does not refetch the JWKS for every token naming an unknown kid', async () => {
    // Prepare
    await call(await f.issuer.idToken());
    const fetchesBefore = f.issuer.jwksFetches();
    const stranger = await f.issuer.foreignKey();
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await call(await f.issuer.idToken({}, { kid: 'never-published', key: stranger }))).status);
    }
    // Assess: the first fetch is within the cooldown, so none of the five fetches again
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(f.issuer.jwksFetches()).toBe(fetchesBefore);
  });
});

describe('gateway JWKS refetch on key rotation', () => {
  it('caches the JWKS and refetches it once the cooldown has passed when a rotated key appears', async () => {
    // Prepare
    const cooldownMs = 100;
    const g = await startGatewayFixture({ api: WIDE_API, jwksRefetchCooldownMs: cooldownMs });
    const call = async (token: string) =>
      send(`${g.gateway.stageUrl}/inference`, {
        method: 'POST',
        headers: [
          ['content-type', 'application/json'],
          ['authorization', token],
        ],
        body,
      });
    try {
      await call(await g.issuer.idToken());
      const fetchesBefore = g.issuer.jwksFetches();
      await call(await g.issuer.idToken());
      expect(g.issuer.jwksFetches()).toBe(fetchesBefore);
      const rotated = await g.issuer.addKey('key-2');
      await new Promise((resolve) => setTimeout(resolve, cooldownMs + 50));
      // Act
      const res = await call(await g.issuer.idToken({}, { kid: 'key-2', key: rotated.privateKey }));
      // Assess
      expect(res.status).toBe(200);
      expect(g.issuer.jwksFetches()).toBe(fetchesBefore + 1);
    } finally {
      await g.close();
    }
  });
});

describe('gateway JWKS location', () => {
  it.each([
    ["the discovery document's jwks_uri on the issuer's origin", '{base}/keys', '/keys'],
    [
      'the default path when discovery points at another origin',
      'http://localhost:1/keys',
      '/us-east-1_GatewayTest/.well-known/jwks.json',
    ],
  ])('finds the keys through %s', async (_, jwksUri, fetchedPath) => {
    // Prepare
    const issuer = await startGatewayIssuer({ discovery: { jwksUri } });
    const lambda = await startLambdaStub();
    const gateway = await startGateway({
      port: 0,
      api: SAMPLE_API,
      allowedOrigins: parseAllowedOrigins('https://app.example.com'),
      authorizer: { type: 'jwt', issuer: issuer.issuer, audiences: [issuer.clientId] },
      lambdaEndpoint: lambda.endpoint,
      lambdaCredential: testCredential,
      functionNames: { edge: 'gatehouse-edge' },
    });
    try {
      // Act
      const res = await send(`${gateway.stageUrl}/inference`, {
        method: 'POST',
        headers: [
          ['authorization', await issuer.idToken()],
          ['content-type', 'application/json'],
        ],
        body,
      });
      // Assess
      expect(res.status).toBe(200);
      expect(issuer.jwksPaths()).toEqual([fetchedPath]);
    } finally {
      await gateway.close();
      await Promise.all([lambda.close(), issuer.close()]);
    }
  });
});

describe('gateway JWKS fetch limits', () => {
  it.each([
    ['larger than 150,000 bytes', { jwksPaddingBytes: 150_000 }, 'the issuer keys could not be fetched'],
    ['slower than 1,500 ms', { jwksDelayMs: 2_500 }, 'the issuer keys could not be fetched in time'],
  ])('rejects tokens with 401 when the JWKS is %s', async (_, issuerOptions, description) => {
    // Prepare
    const issuer = await startGatewayIssuer(issuerOptions);
    const lambda = await startLambdaStub();
    const gateway = await startGateway({
      port: 0,
      api: SAMPLE_API,
      allowedOrigins: parseAllowedOrigins('https://app.example.com'),
      authorizer: { type: 'jwt', issuer: issuer.issuer, audiences: [issuer.clientId], jwksUri: issuer.jwksUri },
      lambdaEndpoint: lambda.endpoint,
      lambdaCredential: testCredential,
      functionNames: { edge: 'gatehouse-edge' },
    });
    try {
      // Act
      const res = await send(`${gateway.stageUrl}/inference`, {
        method: 'POST',
        headers: [
          ['authorization', await issuer.idToken()],
          ['content-type', 'application/json'],
        ],
        body,
      });
      // Assess
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain(`error_description="${description}"`);
      expect(lambda.invocations).toHaveLength(0);
    } finally {
      await gateway.close();
      await Promise.all([lambda.close(), issuer.close()]);
    }
  });
});

describe('gateway authorizer quotas', () => {
  const base = {
    port: 0,
    allowedOrigins: parseAllowedOrigins('https://app.example.com'),
    lambdaEndpoint: 'http://127.0.0.1:1',
    lambdaCredential: testCredential,
    functionNames: { edge: 'gatehouse-edge' },
  };

  it.each([
    ['no audience', []],
    ['51 audiences', Array.from({ length: 51 }, (_, i) => `client-${i}`)],
  ])('refuses to start with %s', async (_, audiences) => {
    await expect(
      startGateway({
        ...base,
        api: SAMPLE_API,
        authorizer: { type: 'jwt', issuer: 'https://issuer.example.com', audiences },
      }),
    ).rejects.toBeInstanceOf(AuthorizerConfigError);
  });

  it('refuses to start with a route listing more than 10 scopes', async () => {
    // Prepare
    const scopes = Array.from({ length: 11 }, (_, i) => `gatehouse/s${i}`);
    const api: GatewayApiDescription = {
      ...SAMPLE_API,
      routes: [{ method: 'POST', path: '/inference', integration: 'edge', authorization: 'jwt', scopes }],
    };
    // Act / Assess
    await expect(
      startGateway({
        ...base,
        api,
        authorizer: { type: 'jwt', issuer: 'https://issuer.example.com', audiences: ['a'] },
      }),
    ).rejects.toThrow(/11 scopes; the limit is 10/);
  });
});
