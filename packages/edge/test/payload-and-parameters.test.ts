/**
 * What reaches the core for each kind of route: the bare body in pass-through (`payload: 'input'`,
 * with nothing of the caller), path parameters — `{id}` and a greedy `{proxy+}` — and the query
 * string for GET and DELETE, whether the gateway named the route (HTTP API) or the edge matched
 * the path itself (a Function URL, `$default`).
 */
import { defineConfig, matchRoutePath, type Problem, resolveProjectConfig } from '@gatehouse/contract';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createEdgeHandler } from '../src/edge';
import { LambdaInvokeClient } from '../src/lambda-invoke-client';
import {
  allowMethodsOf,
  answerJson,
  awsEnvironment,
  type EventOptions,
  httpApiEvent,
  type InvokeStub,
  idTokenClaims,
  lambdaContext,
  memoryLogger,
  startInvokeStub,
  testConfig,
} from './helpers';

const ROUTES = resolveProjectConfig(
  defineConfig({
    routes: {
      'POST /completions': {
        core: 'ask',
        schema: z.object({ prompt: z.string().check(z.trim()), maxTokens: z._default(z.int(), 64) }),
        payload: 'input',
      },
      'GET /prompts/{id}': { core: 'prompts', schema: z.object({ verbose: z.optional(z.enum(['yes', 'no'])) }) },
      'DELETE /prompts/{id}': { core: 'prompts' },
      'ANY /files/{proxy+}': { core: 'files' },
    },
    cores: {
      ask: { runtime: 'python3.12', code: './core', handler: 'handler.complete' },
      prompts: { runtime: 'python3.12', code: './core', handler: 'handler.get_prompt' },
      files: { runtime: 'provided.al2023', code: './files', handler: 'bootstrap' },
    },
  }),
).routes;

let stub: InvokeStub | undefined;
let client: LambdaInvokeClient | undefined;

afterEach(async () => {
  client?.close();
  await stub?.close();
  stub = undefined;
  client = undefined;
});

/** Sends one event through a fresh edge and returns the answer and what the core received. */
async function send(options: EventOptions) {
  stub = await startInvokeStub(answerJson({ ok: true }));
  client = new LambdaInvokeClient(awsEnvironment(stub.endpoint));
  const handler = createEdgeHandler({
    config: testConfig({ CORE_TARGETS: 'ask=gatehouse-ask,prompts=gatehouse-prompts,files=gatehouse-files' }),
    routes: ROUTES,
    allowMethods: allowMethodsOf(ROUTES),
    matchPath: matchRoutePath,
    client,
    logger: memoryLogger('silent').logger,
    service: 'gatehouse-edge',
  });
  const result = await handler(httpApiEvent(options), lambdaContext());
  const request = stub.requests[0];
  return {
    result,
    url: request?.url,
    raw: request ? request.body.toString('utf8') : undefined,
    payload: request ? (JSON.parse(request.body.toString('utf8')) as Record<string, unknown>) : undefined,
  };
}

describe('pass-through (payload: "input")', () => {
  it('sends the validated body alone: no identity, no request facts, no wrapper', async () => {
    // Act
    const { result, url, payload, raw } = await send({
      routeKey: 'POST /completions',
      body: JSON.stringify({ prompt: '  Hello  ' }),
    });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(url).toBe('/2015-03-31/functions/gatehouse-ask/invocations');
    expect(payload).toEqual({ prompt: 'Hello', maxTokens: 64 });
    const claims = idTokenClaims();
    for (const secret of [claims.sub, claims.email, claims['cognito:username'], '198.51.100.23']) {
      expect(raw).not.toContain(secret);
    }
  });
});

describe('path parameters and the query string', () => {
  it('gives a GET core its {id} and its validated query', async () => {
    // Act
    const { result, payload } = await send({
      routeKey: 'GET /prompts/{id}',
      rawPath: '/prod/prompts/haiku',
      pathParameters: { id: 'haiku' },
      queryStringParameters: { verbose: 'yes' },
      body: undefined,
    });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(payload).toMatchObject({
      input: { verbose: 'yes' },
      pathParameters: { id: 'haiku' },
      identity: { username: 'jane' },
      requestMeta: { routeKey: 'GET /prompts/{id}' },
    });
  });

  it('refuses a query the schema does not allow with 422 naming the parameter', async () => {
    // Act
    const { result, payload } = await send({
      routeKey: 'GET /prompts/{id}',
      pathParameters: { id: 'haiku' },
      queryStringParameters: { verbose: 'maybe' },
      body: undefined,
    });

    // Assess
    expect(result.statusCode).toBe(422);
    const problem = JSON.parse(String(result.body)) as Problem;
    expect(problem.detail).toMatch(/query parameters/);
    expect(problem.errors?.map((e) => e.path)).toEqual(['verbose']);
    expect(payload).toBeUndefined();
  });

  it('gives a DELETE core its {id} and the query as it came, ignoring any body', async () => {
    // Act
    const { result, payload } = await send({
      routeKey: 'DELETE /prompts/{id}',
      rawPath: '/prod/prompts/old-1',
      pathParameters: { id: 'old-1' },
      queryStringParameters: { reason: 'stale', tag: 'a,b' },
      body: undefined,
    });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(payload).toMatchObject({ input: { reason: 'stale', tag: 'a,b' }, pathParameters: { id: 'old-1' } });
  });

  it('matches the path itself when no route key names the route, decoding the parameter', async () => {
    // Act
    const { result, payload } = await send({
      routeKey: '$default',
      method: 'GET',
      rawPath: '/prod/prompts/caf%C3%A9%20menu',
      body: undefined,
    });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(payload).toMatchObject({
      pathParameters: { id: 'café menu' },
      requestMeta: { routeKey: 'GET /prompts/{id}' },
    });
  });

  it.each([
    ['the gateway', { routeKey: 'ANY /files/{proxy+}', pathParameters: { proxy: 'reports/2024/q3.csv' } }],
    ['the path', { routeKey: '$default' }],
  ])('gives a {proxy+} core the rest of the path, every segment, when %s names the route', async (_by, named) => {
    // Act
    const { result, payload } = await send({
      ...named,
      method: 'GET',
      rawPath: '/prod/files/reports/2024/q3.csv',
      body: undefined,
    });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(payload).toMatchObject({ input: {}, pathParameters: { proxy: 'reports/2024/q3.csv' } });
  });

  it('sends the body on an ANY route called with POST', async () => {
    // Act
    const { payload } = await send({
      routeKey: 'ANY /files/{proxy+}',
      method: 'POST',
      rawPath: '/prod/files/inbox',
      pathParameters: { proxy: 'inbox' },
      body: JSON.stringify({ name: 'q3.csv' }),
    });

    // Assess
    expect(payload).toMatchObject({ input: { name: 'q3.csv' }, pathParameters: { proxy: 'inbox' } });
  });

  it('answers 404 for a {proxy+} route with nothing after it, without calling a core', async () => {
    const { result, payload } = await send({
      routeKey: '$default',
      method: 'GET',
      rawPath: '/prod/files',
      body: undefined,
    });
    expect(result.statusCode).toBe(404);
    expect(payload).toBeUndefined();
  });
});
