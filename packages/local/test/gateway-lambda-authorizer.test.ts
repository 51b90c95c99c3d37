import { AUTH_MODE_REQUEST_HEADERS, LAMBDA_AUTHORIZER } from '@gatehouse/contract';
import { SAMPLE_API } from '@gatehouse/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthorizerEventV2, LambdaAuthorizerOptions } from '../src/gateway';
import { ALLOWED_ORIGIN, type GatewayFixture, startGatewayFixture, WIDE_API } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';

const AUTHORIZER = 'gatehouse-authorizer';
const EDGE = 'gatehouse-edge';
const body = JSON.stringify({ partner: 'Acme', year: 2024, period: 'Q3', question: 'Revenue?' });
/** What the real authorizer (packages/authorizer) returns for an API key. */
const keyContext = {
  principal: 'api-key',
  sub: 'api-key:k-ops',
  username: 'k-ops',
  email: 'ops@example.com',
  groups: ['analysts', 'admins'],
};

function lambdaAuthorizer(overrides: Partial<LambdaAuthorizerOptions> = {}): LambdaAuthorizerOptions {
  return {
    type: 'lambda',
    functionName: AUTHORIZER,
    identitySource: [LAMBDA_AUTHORIZER.identitySource['api-key']],
    resultsCacheTtlSeconds: 0,
    enableSimpleResponses: true,
    ...overrides,
  };
}

function callWith(
  f: GatewayFixture,
  apiKey: string | undefined,
  extra: [string, string][] = [],
  path = '/prod/inference',
) {
  return send(`${f.gateway.url}${path}`, {
    method: 'POST',
    headers: [
      ['content-type', 'application/json'],
      ...(apiKey === undefined ? [] : [['x-api-key', apiKey] as [string, string]]),
      ...extra,
    ],
    body,
  });
}

function authorizerEvents(f: GatewayFixture): AuthorizerEventV2[] {
  return f.lambda.invocationsOf(AUTHORIZER).map((i) => i.event as unknown as AuthorizerEventV2);
}

describe('gateway Lambda authorizer (no cache)', () => {
  let f: GatewayFixture;
  const call = (apiKey: string | undefined, extra: [string, string][] = [], path?: string) =>
    callWith(f, apiKey, extra, path);

  beforeAll(async () => {
    f = await startGatewayFixture({ api: WIDE_API, authorizer: lambdaAuthorizer(), authorizerTimeoutMs: 300 });
  });
  afterAll(() => f.close());
  afterEach(() => f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true, context: {} } }));

  it('admits when the authorizer allows, and hands its context to the edge as requestContext.authorizer.lambda', async () => {
    // Prepare
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true, context: keyContext } });
    const edgeBefore = f.lambda.invocationsOf(EDGE).length;
    // Act
    const res = await call('gh_live_k-ops_secret');
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocationsOf(EDGE).length).toBe(edgeBefore + 1);
    const authorizer = f.lambda.invocationsOf(EDGE).at(-1)?.event.requestContext.authorizer;
    expect(authorizer).toEqual({ lambda: keyContext });
  });

  it('keeps the JSON types of the context values (numbers, booleans, arrays)', async () => {
    // Prepare
    const context = { quota: 10, trusted: true, groups: ['a'], nested: { tier: 'gold' } };
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true, context } });
    // Act
    const res = await call('key-typed');
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocationsOf(EDGE).at(-1)?.event.requestContext.authorizer?.lambda).toEqual(context);
  });

  it('sends the authorizer the 2.0 REQUEST event API Gateway sends', async () => {
    // Act
    const res = await call('gh_live_k-ops_secret', [['cookie', 'theme=dark; lang=en']], '/prod/inference?debug=1&x=a');
    // Assess
    expect(res.status).toBe(200);
    const event = authorizerEvents(f).at(-1);
    const edgeEvent = f.lambda.invocationsOf(EDGE).at(-1)?.event;
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/POST/inference',
      identitySource: ['gh_live_k-ops_secret'],
      routeKey: 'POST /inference',
      rawPath: '/prod/inference',
      rawQueryString: 'debug=1&x=a',
      cookies: ['theme=dark', 'lang=en'],
      queryStringParameters: { debug: '1', x: 'a' },
    });
    expect(event?.headers?.['x-api-key']).toBe('gh_live_k-ops_secret');
    expect(event?.headers).toEqual(edgeEvent?.headers);
    const { authorizer: _given, ...edgeContext } = edgeEvent?.requestContext ?? {};
    expect(event?.requestContext).toEqual(edgeContext);
    expect(event?.requestContext.requestId).toBe(res.headers['apigw-requestid']);
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('isBase64Encoded');
    expect(event).not.toHaveProperty('requestContext.authorizer');
  });

  it('puts path parameters in the authorizer event and the path without the stage in routeArn', async () => {
    // Prepare
    const api = {
      ...SAMPLE_API,
      routes: [{ method: 'GET', path: '/items/{id}', integration: 'edge', authorization: 'jwt', scopes: [] }] as const,
    };
    const g = await startGatewayFixture({ api, authorizer: lambdaAuthorizer() });
    g.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true } });
    try {
      // Act
      const res = await send(`${g.gateway.url}/prod/items/42`, { headers: [['x-api-key', 'k']] });
      // Assess
      expect(res.status).toBe(200);
      const event = authorizerEvents(g).at(-1);
      expect(event?.routeArn).toBe('arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/items/42');
      expect(event?.pathParameters).toEqual({ id: '42' });
      expect(event).not.toHaveProperty('cookies');
      expect(event).not.toHaveProperty('queryStringParameters');
      expect(g.lambda.invocationsOf(EDGE).at(-1)?.event.requestContext.authorizer).toEqual({ lambda: {} });
    } finally {
      await g.close();
    }
  });

  it('answers 403 Forbidden when the authorizer refuses, without calling the edge', async () => {
    // Prepare
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: false, context: {} } });
    const edgeBefore = f.lambda.invocationsOf(EDGE).length;
    // Act
    const res = await call('revoked-key');
    // Assess
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ message: 'Forbidden' });
    expect(f.lambda.invocationsOf(EDGE).length).toBe(edgeBefore);
    expect(f.log.at(-1)?.authorizerError).toBe('the authorizer refused the request');
  });

  it.each([
    ['no x-api-key header', undefined],
    ['an empty x-api-key header', ''],
    ['a blank x-api-key header', '   '],
  ])('answers 401 Unauthorized without calling the authorizer for %s', async (_case, apiKey) => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await call(apiKey);
    // Assess
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ message: 'Unauthorized' });
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(f.lambda.invocations.length).toBe(before);
    expect(f.log.at(-1)?.authorizerError).toBe('identity source $request.header.x-api-key is missing');
  });

  it.each([
    ['a function error', { kind: 'function-error', errorType: 'Error', errorMessage: 'SSM unreachable' }],
    ['an unknown function (404 from the Lambda service)', { kind: 'status', status: 404, body: { message: 'nope' } }],
    ['an answer after the authorizer timeout', { kind: 'hang', ms: 1_000 }],
    ['an answer that is not JSON', { kind: 'raw', body: 'allow' }],
    ['isAuthorized as a string', { kind: 'payload', payload: { isAuthorized: 'true' } }],
    ['no isAuthorized', { kind: 'payload', payload: { context: keyContext } }],
    ['an array', { kind: 'payload', payload: [true] }],
    ['a context that is an array', { kind: 'payload', payload: { isAuthorized: true, context: ['x'] } }],
    [
      'an IAM policy response (simple responses are enabled)',
      {
        kind: 'payload',
        payload: {
          principalId: 'k-ops',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }],
          },
        },
      },
    ],
  ] as const)('answers 500 Internal Server Error for %s, without calling the edge', async (_case, answer) => {
    // Prepare
    f.lambda.answerFor(AUTHORIZER, answer);
    const edgeBefore = f.lambda.invocationsOf(EDGE).length;
    // Act
    const res = await call('some-key', [['origin', ALLOWED_ORIGIN]]);
    // Assess
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(f.lambda.invocationsOf(EDGE).length).toBe(edgeBefore);
    expect(f.log.at(-1)?.authorizerError).toMatch(/authorizer/);
  });

  it('calls the authorizer on every request when the TTL is 0', async () => {
    // Prepare
    const before = f.lambda.invocationsOf(AUTHORIZER).length;
    // Act
    const statuses = [(await call('same-key')).status, (await call('same-key')).status];
    // Assess
    expect(statuses).toEqual([200, 200]);
    expect(f.lambda.invocationsOf(AUTHORIZER).length).toBe(before + 2);
  });

  it('keeps routes with authorization "none" public: no authorizer call, no authorizer in the event', async () => {
    // Prepare
    const before = f.lambda.invocationsOf(AUTHORIZER).length;
    // Act
    const res = await send(`${f.gateway.url}/prod/items/7`);
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocationsOf(AUTHORIZER).length).toBe(before);
    expect(f.lambda.invocationsOf(EDGE).at(-1)?.event.requestContext).not.toHaveProperty('authorizer');
  });

  it('allows the x-api-key header in preflights, answered without the authorizer', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await send(`${f.gateway.url}/prod/inference`, {
      method: 'OPTIONS',
      headers: [
        ['origin', ALLOWED_ORIGIN],
        ['access-control-request-method', 'POST'],
        ['access-control-request-headers', 'content-type,x-api-key'],
      ],
    });
    // Assess
    expect(res.status).toBe(204);
    expect(String(res.headers['access-control-allow-headers']).split(',')).toEqual([
      ...SAMPLE_API.cors.allowHeaders,
      ...AUTH_MODE_REQUEST_HEADERS.lambda,
    ]);
    expect(f.lambda.invocations.length).toBe(before);
  });

  it('adds CORS headers to its 401 and 403', async () => {
    // Prepare
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: false } });
    // Act
    const missing = await call(undefined, [['origin', ALLOWED_ORIGIN]]);
    const denied = await call('revoked-key', [['origin', ALLOWED_ORIGIN]]);
    // Assess
    expect([missing.status, denied.status]).toEqual([401, 403]);
    expect(missing.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(denied.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('never writes the API key into the request log', () => {
    expect(f.log.length).toBeGreaterThan(5);
    expect(JSON.stringify(f.log)).not.toMatch(/gh_live|revoked-key|some-key|same-key/);
  });
});

describe('gateway Lambda authorizer cache', () => {
  let f: GatewayFixture;
  const call = (apiKey: string | undefined) => callWith(f, apiKey);
  const ttl = LAMBDA_AUTHORIZER.resultsCacheTtlSeconds;

  beforeAll(async () => {
    f = await startGatewayFixture({ authorizer: lambdaAuthorizer({ resultsCacheTtlSeconds: ttl }) });
  });
  afterAll(() => f.close());
  afterEach(() => vi.useRealTimers());

  it('reuses an allow within the TTL: one authorizer call, the same context each time', async () => {
    // Prepare
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true, context: keyContext } });
    const before = f.lambda.invocationsOf(AUTHORIZER).length;
    // Act
    const statuses = [(await call('cached-allow')).status, (await call('cached-allow')).status];
    // Assess
    expect(statuses).toEqual([200, 200]);
    expect(f.lambda.invocationsOf(AUTHORIZER).length).toBe(before + 1);
    const contexts = f.lambda.invocationsOf(EDGE).slice(-2);
    expect(contexts.map((i) => i.event.requestContext.authorizer)).toEqual([
      { lambda: keyContext },
      { lambda: keyContext },
    ]);
  });

  it('reuses a deny within the TTL, as API Gateway does', async () => {
    // Prepare
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: false } });
    const before = f.lambda.invocationsOf(AUTHORIZER).length;
    // Act
    const first = await call('cached-deny');
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true, context: keyContext } });
    const second = await call('cached-deny');
    // Assess
    expect([first.status, second.status]).toEqual([403, 403]);
    expect(f.lambda.invocationsOf(AUTHORIZER).length).toBe(before + 1);
    expect(f.log.at(-1)?.authorizerError).toBe('the authorizer refused the request (cached)');
  });

  it('keys the cache on the identity-source value: another key calls the authorizer again', async () => {
    // Prepare
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true, context: keyContext } });
    await call('key-a');
    const before = f.lambda.invocationsOf(AUTHORIZER).length;
    // Act
    const res = await call('key-b');
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocationsOf(AUTHORIZER).length).toBe(before + 1);
    expect(authorizerEvents(f).at(-1)?.identitySource).toEqual(['key-b']);
  });

  it('does not cache failures: a function error is retried on the next request', async () => {
    // Prepare
    f.lambda.answerFor(AUTHORIZER, { kind: 'function-error', errorType: 'Error', errorMessage: 'boom' });
    const before = f.lambda.invocationsOf(AUTHORIZER).length;
    // Act
    const failed = await call('flaky-key');
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true, context: keyContext } });
    const retried = await call('flaky-key');
    // Assess
    expect([failed.status, retried.status]).toEqual([500, 200]);
    expect(f.lambda.invocationsOf(AUTHORIZER).length).toBe(before + 2);
  });

  it('calls the authorizer again once the TTL has passed, and sees a revocation then', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-24T10:00:00Z'));
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true, context: keyContext } });
    const before = f.lambda.invocationsOf(AUTHORIZER).length;
    const admitted = await call('soon-revoked');
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: false } });
    vi.setSystemTime(new Date(Date.parse('2026-11-24T10:00:00Z') + (ttl - 1) * 1000));
    const stillCached = await call('soon-revoked');
    // Act
    vi.setSystemTime(new Date(Date.parse('2026-11-24T10:00:00Z') + ttl * 1000));
    const afterTtl = await call('soon-revoked');
    // Assess
    expect([admitted.status, stillCached.status, afterTtl.status]).toEqual([200, 200, 403]);
    expect(f.lambda.invocationsOf(AUTHORIZER).length).toBe(before + 2);
  });
});

describe('gateway Lambda authorizer identity sources', () => {
  it('evaluates several sources (header, query string), passes their values in order and needs all of them', async () => {
    // Prepare
    const f = await startGatewayFixture({
      authorizer: lambdaAuthorizer({
        identitySource: ['$request.header.X-Api-Key', '$request.querystring.tenant', '$context.routeKey'],
        resultsCacheTtlSeconds: 60,
      }),
    });
    f.lambda.answerFor(AUTHORIZER, { kind: 'payload', payload: { isAuthorized: true } });
    try {
      // Act
      const complete = await send(`${f.gateway.url}/prod/inference?tenant=acme`, {
        method: 'POST',
        headers: [['x-api-key', 'k1']],
        body,
      });
      const otherTenant = await send(`${f.gateway.url}/prod/inference?tenant=globex`, {
        method: 'POST',
        headers: [['x-api-key', 'k1']],
        body,
      });
      const noTenant = await send(`${f.gateway.url}/prod/inference`, {
        method: 'POST',
        headers: [['x-api-key', 'k1']],
        body,
      });
      // Assess
      expect([complete.status, otherTenant.status, noTenant.status]).toEqual([200, 200, 401]);
      expect(authorizerEvents(f).map((e) => e.identitySource)).toEqual([
        ['k1', 'acme', 'POST /inference'],
        ['k1', 'globex', 'POST /inference'],
      ]);
      expect(f.log.at(-1)?.authorizerError).toBe('identity source $request.querystring.tenant is missing');
    } finally {
      await f.close();
    }
  });
});
