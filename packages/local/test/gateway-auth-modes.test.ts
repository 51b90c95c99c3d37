import { parseAllowedOrigins } from '@gatehouse/contract';
import { SAMPLE_API } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizerConfigError,
  type AuthorizerEventV2,
  type GatewayAuthorizerOptions,
  startGateway,
} from '../src/gateway';
import { ALLOWED_ORIGIN, type GatewayFixture, startGatewayFixture } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';
import { startGatewayIssuer } from './helpers/gateway-issuer';
import { startLambdaStub } from './helpers/gateway-lambda-stub';
import { testCredential } from './helpers/test-credential';

const body = JSON.stringify({ partner: 'Acme', year: 2024, period: 'Q3', question: 'Revenue?' });

describe('gateway without an authorizer (auth "none")', () => {
  let f: GatewayFixture;

  beforeAll(async () => {
    f = await startGatewayFixture({ authorizer: { type: 'none' } });
  });
  afterAll(() => f.close());

  it('admits a request to a protected route with no credentials, and the event has no authorizer', async () => {
    // Act
    const res = await send(`${f.gateway.url}/prod/inference`, {
      method: 'POST',
      headers: [['content-type', 'application/json']],
      body,
    });
    // Assess
    expect(res.status).toBe(200);
    const event = f.lambda.invocations.at(-1)?.event;
    expect(event?.routeKey).toBe('POST /inference');
    expect(event?.requestContext).not.toHaveProperty('authorizer');
    expect(f.log.at(-1)).not.toHaveProperty('authorizerError');
  });

  it('passes a token it was sent through untouched, without checking it', async () => {
    // Act
    const res = await send(`${f.gateway.url}/prod/inference`, {
      method: 'POST',
      headers: [
        ['content-type', 'application/json'],
        ['authorization', 'Bearer not-a-jwt'],
      ],
      body,
    });
    // Assess
    expect(res.status).toBe(200);
    const event = f.lambda.invocations.at(-1)?.event;
    expect(event?.headers.authorization).toBe('Bearer not-a-jwt');
    expect(event?.requestContext).not.toHaveProperty('authorizer');
  });

  it('allows only the API CORS headers in preflights', async () => {
    // Act
    const res = await send(`${f.gateway.url}/prod/inference`, {
      method: 'OPTIONS',
      headers: [
        ['origin', ALLOWED_ORIGIN],
        ['access-control-request-method', 'POST'],
      ],
    });
    // Assess
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-headers']).toBe(SAMPLE_API.cors.allowHeaders.join(','));
  });
});

describe('gateway authorizer option', () => {
  it('treats options without a type as the JWT authorizer (the default, as auth "cognito" is)', async () => {
    // Prepare
    const issuer = await startGatewayIssuer();
    const lambda = await startLambdaStub();
    const gateway = await startGateway({
      port: 0,
      api: SAMPLE_API,
      allowedOrigins: [],
      authorizer: { issuer: issuer.issuer, audiences: [issuer.clientId], jwksUri: issuer.jwksUri },
      lambdaEndpoint: lambda.endpoint,
      lambdaCredential: testCredential,
      functionNames: { edge: 'gatehouse-edge' },
    });
    try {
      // Act
      const anonymous = await send(`${gateway.stageUrl}/inference`, { method: 'POST', body });
      const signedIn = await send(`${gateway.stageUrl}/inference`, {
        method: 'POST',
        headers: [['authorization', await issuer.idToken()]],
        body,
      });
      // Assess
      expect([anonymous.status, signedIn.status]).toEqual([401, 200]);
      expect(lambda.invocations.at(-1)?.event.requestContext.authorizer?.jwt?.claims.token_use).toBe('id');
    } finally {
      await gateway.close();
      await Promise.all([lambda.close(), issuer.close()]);
    }
  });

  const lambdaOptions = {
    type: 'lambda',
    functionName: 'gatehouse-authorizer',
    identitySource: ['$request.header.x-api-key'],
    resultsCacheTtlSeconds: 300,
    enableSimpleResponses: true,
  } as const;
  const refused: [string, unknown][] = [
    ['a cache TTL over 3,600 s', { ...lambdaOptions, resultsCacheTtlSeconds: 3_601 }],
    ['a negative cache TTL', { ...lambdaOptions, resultsCacheTtlSeconds: -1 }],
    ['a fractional cache TTL', { ...lambdaOptions, resultsCacheTtlSeconds: 1.5 }],
    ['caching without an identity source', { ...lambdaOptions, identitySource: [] }],
    ['an identity source it cannot evaluate', { ...lambdaOptions, identitySource: ['$request.body.key'] }],
    ['an identity source without a name', { ...lambdaOptions, identitySource: ['$request.header.'] }],
    ['an empty function name', { ...lambdaOptions, functionName: ' ' }],
    ['an unknown authorizer type (from a JSON file)', { type: 'cognito-pool' }],
  ];

  it.each(refused)('refuses to start with %s', async (_case, authorizer) => {
    await expect(
      startGateway({
        port: 0,
        api: SAMPLE_API,
        allowedOrigins: parseAllowedOrigins([ALLOWED_ORIGIN]),
        authorizer: authorizer as GatewayAuthorizerOptions,
        lambdaEndpoint: 'http://127.0.0.1:9',
        lambdaCredential: testCredential,
        functionNames: { edge: 'gatehouse-edge' },
      }),
    ).rejects.toThrow(AuthorizerConfigError);
  });

  it('starts a Lambda authorizer without caching and without identity sources (called on every request)', async () => {
    // Prepare
    const f = await startGatewayFixture({
      authorizer: { ...lambdaOptions, identitySource: [], resultsCacheTtlSeconds: 0 },
    });
    f.lambda.answerFor('gatehouse-authorizer', { kind: 'payload', payload: { isAuthorized: true } });
    try {
      // Act
      const res = await send(`${f.gateway.url}/prod/inference`, { method: 'POST', body });
      // Assess
      expect(res.status).toBe(200);
      const events = f.lambda.invocationsOf('gatehouse-authorizer').map((i) => i.event as unknown as AuthorizerEventV2);
      expect(events.map((e) => e.identitySource)).toEqual([[]]);
    } finally {
      await f.close();
    }
  });
});
