import { SAMPLE_API } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, type GatewayFixture, startGatewayFixture } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';

const preflightHeaders = (origin: string): [string, string][] => [
  ['origin', origin],
  ['access-control-request-method', 'POST'],
  ['access-control-request-headers', 'authorization,content-type'],
];

describe('gateway CORS', () => {
  let f: GatewayFixture;
  const inference = () => `${f.gateway.stageUrl}/inference`;

  beforeAll(async () => {
    f = await startGatewayFixture({ integrationTimeoutMs: 300 });
  });
  afterAll(() => f.close());

  it('answers a preflight itself: 204 with the API CORS settings, no authorizer, no Lambda', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await send(inference(), { method: 'OPTIONS', headers: preflightHeaders(ALLOWED_ORIGIN) });
    // Assess
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-methods']).toBe(SAMPLE_API.cors.allowMethods.join(','));
    expect(res.headers['access-control-allow-headers']).toBe(SAMPLE_API.cors.allowHeaders.join(','));
    expect(res.headers['access-control-max-age']).toBe(String(SAMPLE_API.cors.maxAgeSeconds));
    expect(res.headers['apigw-requestid']).toBeDefined();
    expect(f.lambda.invocations.length).toBe(before);
  });

  it('answers a preflight for any path, even one with no route', async () => {
    const res = await send(`${f.gateway.url}/prod/nowhere`, {
      method: 'OPTIONS',
      headers: preflightHeaders(ALLOWED_ORIGIN),
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('leaves allow-origin out of a preflight from an origin not on the list', async () => {
    const res = await send(inference(), { method: 'OPTIONS', headers: preflightHeaders('https://evil.example.net') });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('matches scheme-prefix entries (http://*) for any origin of that scheme', async () => {
    const res = await send(inference(), { method: 'OPTIONS', headers: preflightHeaders('http://localhost:5173') });
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('treats an OPTIONS without Access-Control-Request-Method as an ordinary request (no route → 404)', async () => {
    const res = await send(inference(), { method: 'OPTIONS', headers: [['origin', ALLOWED_ORIGIN]] });
    expect(res.status).toBe(404);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it("adds its CORS headers to an integration answer and drops the integration's own", async () => {
    // Prepare
    f.lambda.answerWith({
      kind: 'payload',
      payload: {
        statusCode: 200,
        headers: {
          'access-control-allow-origin': '*',
          'Access-Control-Allow-Credentials': 'true',
          'x-request-id': 'r1',
        },
        body: '{}',
      },
    });
    // Act
    const res = await send(inference(), {
      method: 'POST',
      headers: [
        ['origin', ALLOWED_ORIGIN],
        ['authorization', await f.issuer.idToken()],
        ['content-type', 'application/json'],
      ],
      body: '{}',
    });
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-expose-headers']).toBe(SAMPLE_API.cors.exposeHeaders.join(','));
    expect(res.headers.vary).toBe('origin');
    expect(res.headers['x-request-id']).toBe('r1');
  });

  it("adds no CORS headers at all when the request has no Origin, and removes the integration's", async () => {
    // Prepare
    f.lambda.answerWith({
      kind: 'payload',
      payload: { statusCode: 200, headers: { 'access-control-allow-origin': '*' } },
    });
    // Act
    const res = await send(inference(), {
      method: 'POST',
      headers: [
        ['authorization', await f.issuer.idToken()],
        ['content-type', 'application/json'],
      ],
      body: '{}',
    });
    // Assess
    expect(res.status).toBe(200);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it.each([
    ['the authorizer 401', 401, async () => [] as [string, string][]],
    ['a 404', 404, async () => [] as [string, string][]],
    [
      'a function error 500',
      500,
      async (fx: GatewayFixture) => [['authorization', await fx.issuer.idToken()]] as [string, string][],
    ],
    [
      'an integration timeout 503',
      503,
      async (fx: GatewayFixture) => [['authorization', await fx.issuer.idToken()]] as [string, string][],
    ],
  ])('adds CORS headers to %s', async (_, status, extraHeaders) => {
    // Prepare
    if (status === 500) f.lambda.answerWith({ kind: 'function-error', errorType: 'Error', errorMessage: 'boom' });
    if (status === 503) f.lambda.answerWith({ kind: 'hang', ms: 2_000 });
    const url = status === 404 ? `${f.gateway.url}/prod/nowhere` : inference();
    // Act
    const res = await send(url, {
      method: 'POST',
      headers: [['origin', ALLOWED_ORIGIN], ['content-type', 'application/json'], ...(await extraHeaders(f))],
      body: '{}',
    });
    // Assess
    expect(res.status).toBe(status);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-expose-headers']).toBe(SAMPLE_API.cors.exposeHeaders.join(','));
  });

  it('never allows an origin that is not on the list, on errors either', async () => {
    const res = await send(inference(), {
      method: 'POST',
      headers: [['origin', 'https://evil.example.net']],
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
