import { readAuthorizerEnvironment } from '@gatehouse/contract';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/api-keys';
import { createAuthorizer } from '../src/authorize';
import type { SsmParameterClient } from '../src/ssm-parameter-client';
import { startTestIssuer, type TestIssuer } from './helpers/issuer';

function authorizerEvent(headers: Record<string, string>): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/POST/inference',
    identitySource: Object.values(headers),
    routeKey: 'POST /inference',
    rawPath: '/prod/inference',
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef123',
      domainName: 'abcdef123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abcdef123',
      http: {
        method: 'POST',
        path: '/prod/inference',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'curl/8',
      },
      requestId: 'req-1',
      routeKey: 'POST /inference',
      stage: 'prod',
      time: '24/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795514400000,
    },
  } as APIGatewayRequestAuthorizerEventV2;
}

describe('email allow-list mode', () => {
  let issuer: TestIssuer;
  let authorize: ReturnType<typeof createAuthorizer>;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    authorize = createAuthorizer(
      readAuthorizerEnvironment({
        AUTHORIZER_MODE: 'email-allowlist',
        USER_POOL_ID: 'us-east-1_TestPool',
        ISSUER: issuer.issuer,
        CLIENT_IDS: issuer.clientId,
        ALLOWED_EMAILS: 'ana@example.com, @partner.org',
      }),
    );
  });
  afterAll(() => issuer.close());

  it('admits a verified email on the list and passes the identity on', async () => {
    const token = await issuer.idToken({ 'cognito:groups': ['admins'] });
    const decision = await authorize(authorizerEvent({ authorization: `Bearer ${token}` }));
    expect(decision.context).toEqual({
      principal: 'user',
      sub: 'user-sub-1',
      username: 'ana',
      email: 'ana@example.com',
      groups: ['admins'],
    });
  });

  it('admits any verified address of an allow-listed domain, whatever its case', async () => {
    const token = await issuer.idToken({ email: 'Bo@Partner.org' });
    expect((await authorize(authorizerEvent({ authorization: token }))).context?.email).toBe('Bo@Partner.org');
  });

  it.each([
    ['an email not on the list', { email: 'eve@example.com' }, 'email not on the allow-list'],
    ['an unverified email', { email_verified: false }, 'email missing or not verified'],
    ['an access token', { token_use: 'access', aud: undefined, client_id: 'test-client-id' }, /token_use is access/],
    ['another app client', { aud: 'other-client' }, /another app client/],
  ])('refuses %s', async (_name, claims, reason) => {
    const token = await issuer.idToken(claims);
    const decision = await authorize(authorizerEvent({ authorization: token }));
    expect(decision.context).toBeUndefined();
    expect(decision.reason).toMatch(reason);
  });

  it('refuses an expired token and one signed with another key', async () => {
    const expired = await issuer.sign(
      { sub: 's', aud: issuer.clientId, token_use: 'id', email: 'ana@example.com', email_verified: true },
      { expiresIn: Math.floor(Date.now() / 1000) - 60 },
    );
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await issuer.sign(
      { sub: 's', aud: issuer.clientId, token_use: 'id', email: 'ana@example.com', email_verified: true },
      { key: privateKey },
    );
    for (const token of [expired, forged, 'not-a-jwt']) {
      const decision = await authorize(authorizerEvent({ authorization: token }));
      expect(decision.context).toBeUndefined();
      expect(decision.reason).toMatch(/^token rejected/);
    }
  });
});

describe('email allow-list mode when the signing keys cannot be had', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());

  it('fails the invocation (API Gateway answers an uncached 500) instead of refusing the caller', async () => {
    const authorize = createAuthorizer(
      readAuthorizerEnvironment({
        AUTHORIZER_MODE: 'email-allowlist',
        USER_POOL_ID: 'us-east-1_TestPool',
        ISSUER: issuer.issuer,
        JWKS_URI: `${issuer.issuer}/no-such-jwks.json`,
        CLIENT_IDS: issuer.clientId,
        ALLOWED_EMAILS: 'ana@example.com',
      }),
    );
    const token = await issuer.idToken();
    await expect(authorize(authorizerEvent({ authorization: token }))).rejects.toThrow(/JWKS fetch .* answered 404/);
  });
});

describe('API key mode', () => {
  const stored = new Map<string, string>();
  const ssm: SsmParameterClient = {
    get: async (name) => stored.get(name),
    put: async (name, value) => void stored.set(name, value),
  };
  const authorize = createAuthorizer(
    readAuthorizerEnvironment({
      AUTHORIZER_MODE: 'api-key',
      API_KEYS_PARAMETER: '/gatehouse/api-keys',
      API_KEYS_CACHE_SECONDS: '0',
    }),
    () => ssm,
  );

  it('admits a key whose hash is stored, as the key holder, and refuses it once revoked', async () => {
    stored.set(
      '/gatehouse/api-keys',
      JSON.stringify([{ id: 'ci-bot', hash: hashApiKey('ghk_secret'), groups: ['admins'], owner: 'ops@example.com' }]),
    );
    const admitted = await authorize(authorizerEvent({ 'x-api-key': 'ghk_secret' }));
    expect(admitted.context).toEqual({
      principal: 'api-key',
      sub: 'api-key:ci-bot',
      username: 'ci-bot',
      email: 'ops@example.com',
      groups: ['admins'],
    });

    stored.set('/gatehouse/api-keys', '[]');
    const refused = await authorize(authorizerEvent({ 'x-api-key': 'ghk_secret' }));
    expect(refused).toEqual({ reason: 'unknown or revoked key' });
  });

  it('refuses a wrong key and a missing header', async () => {
    stored.set('/gatehouse/api-keys', JSON.stringify([{ id: 'ci-bot', hash: hashApiKey('ghk_secret'), groups: [] }]));
    expect((await authorize(authorizerEvent({ 'x-api-key': 'ghk_guess' }))).context).toBeUndefined();
    expect((await authorize(authorizerEvent({}))).reason).toBe('no x-api-key header');
  });
});
