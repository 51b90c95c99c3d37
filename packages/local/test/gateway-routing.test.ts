import { SAMPLE_API } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchRoute, resolveStage } from '../src/gateway';
import { type GatewayFixture, startGatewayFixture, WIDE_API } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';

describe('gateway routing (unit)', () => {
  it('strips a named stage and refuses a path outside it', () => {
    // Prepare / Act / Assess
    expect(resolveStage('prod', '/prod/inference')).toEqual({ ok: true, pathInStage: '/inference' });
    expect(resolveStage('prod', '/prod')).toEqual({ ok: true, pathInStage: '/' });
    expect(resolveStage('prod', '/production/inference')).toEqual({ ok: false });
    expect(resolveStage('prod', '/inference')).toEqual({ ok: false });
    expect(resolveStage('$default', '/inference')).toEqual({ ok: true, pathInStage: '/inference' });
  });

  it('prefers exact > parameter > greedy > $default, and a method over ANY', () => {
    const routes = WIDE_API.routes;
    expect(matchRoute(routes, 'GET', '/items/special')?.routeKey).toBe('GET /items/special');
    expect(matchRoute(routes, 'GET', '/items/42')?.routeKey).toBe('GET /items/{id}');
    expect(matchRoute(routes, 'DELETE', '/items/42')?.routeKey).toBe('ANY /items/{id}');
    expect(matchRoute(routes, 'GET', '/files/a/b%20c')).toMatchObject({
      routeKey: 'ANY /files/{proxy+}',
      pathParameters: { proxy: 'a/b c' },
    });
    expect(matchRoute(routes, 'GET', '/files')?.routeKey).toBe('$default');
    expect(matchRoute(routes, 'GET', '/inference')?.routeKey).toBe('$default');
    expect(matchRoute(SAMPLE_API.routes, 'GET', '/inference')).toBeNull();
  });
});

describe('gateway routing (over HTTP)', () => {
  let contract: GatewayFixture;
  let wide: GatewayFixture;

  beforeAll(async () => {
    contract = await startGatewayFixture();
    wide = await startGatewayFixture({ api: WIDE_API });
  });
  afterAll(async () => {
    await contract.close();
    await wide.close();
  });

  it.each([
    ['an unknown stage', 'POST', '/dev/inference'],
    ['a path without the stage', 'POST', '/inference'],
    ['an unknown route', 'POST', '/prod/unknown'],
    ['a known path with another method', 'GET', '/prod/inference'],
  ])('answers 404 {"message":"Not Found"} for %s, without calling the Lambda', async (_, method, path) => {
    // Prepare
    const before = contract.lambda.invocations.length;
    // Act
    const res = await send(`${contract.gateway.url}${path}`, { method });
    // Assess
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: 'Not Found' });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(contract.lambda.invocations.length).toBe(before);
  });

  it('serves the stage URL it reports', () => {
    expect(contract.gateway.stageUrl).toBe(`${contract.gateway.url}/prod`);
  });

  it('routes to exact, parameter, ANY, greedy and $default routes and passes the route key and parameters', async () => {
    // Prepare
    const cases: [string, string, string, Record<string, string> | undefined][] = [
      ['GET', '/prod/items/special', 'GET /items/special', undefined],
      ['GET', '/prod/items/7', 'GET /items/{id}', { id: '7' }],
      ['PATCH', '/prod/items/7', 'ANY /items/{id}', { id: '7' }],
      ['PUT', '/prod/files/docs/a.txt', 'ANY /files/{proxy+}', { proxy: 'docs/a.txt' }],
      ['GET', '/prod/anything/else', '$default', undefined],
    ];
    for (const [method, path, routeKey, pathParameters] of cases) {
      // Act
      const res = await send(`${wide.gateway.url}${path}`, { method });
      // Assess
      expect(res.status).toBe(200);
      const event = wide.lambda.invocations.at(-1)?.event;
      expect(event?.routeKey).toBe(routeKey);
      expect(event?.requestContext.routeKey).toBe(routeKey);
      expect(event?.pathParameters).toEqual(pathParameters);
      expect(event?.rawPath).toBe(path);
    }
  });

  it('reports each request to onRequest', async () => {
    // Act
    await send(`${wide.gateway.url}/prod/items/9`);
    // Assess
    expect(wide.log.at(-1)).toMatchObject({
      method: 'GET',
      path: '/prod/items/9',
      routeKey: 'GET /items/{id}',
      status: 200,
      requestId: expect.stringMatching(/=$/),
      latencyMs: expect.any(Number),
      integrationLatencyMs: expect.any(Number),
    });
  });
});
