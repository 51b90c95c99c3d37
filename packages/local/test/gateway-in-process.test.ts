/**
 * The stack's gateway hands invocations to the Lambda service in its own process; a gateway on its
 * own reaches it over the Invoke API. Both paths must answer a client alike: each scenario is
 * sent through a gateway of each kind in front of the same Lambda service and real execution
 * environments, and the answers (status, headers, body) and log entries compared.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeApi, parseAllowedOrigins } from '@gatehouse/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayApiDescription,
  type GatewayAuthorizerOptions,
  type GatewayLogEntry,
  type RunningGateway,
  startGateway,
} from '../src/gateway';
import { type LambdaService, nodeBundle, startLambdaService } from '../src/lambda';
import { type Received, send } from './helpers/gateway-http';
import { testCredential } from './helpers/test-credential';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const target = nodeBundle(path.join(fixtures, 'gateway-target.mjs'));

const API: GatewayApiDescription = {
  ...describeApi({ name: 'in-process', stage: '$default', routes: [{ method: 'POST', path: '/run' }] }),
  routes: [
    { method: 'POST', path: '/run', integration: 'edge', authorization: 'none', scopes: [] },
    { method: 'POST', path: '/guarded', integration: 'edge', authorization: 'jwt', scopes: [] },
  ],
};

interface Pair {
  http: RunningGateway;
  direct: RunningGateway;
  logs: { http: GatewayLogEntry[]; direct: GatewayLogEntry[] };
}

let service: LambdaService;
const pairs: Pair[] = [];

beforeAll(async () => {
  service = await startLambdaService({
    port: 0,
    credential: testCredential,
    reloadOnChange: false,
    functions: [
      { name: 'target', ...target, timeoutSeconds: 3, memoryMb: 128, maxWorkers: 2, maxProcesses: 2 },
      {
        name: 'authorizer',
        ...target,
        handler: 'gateway-target.authorize',
        timeoutSeconds: 3,
        memoryMb: 128,
      },
    ],
  });
});

afterAll(async () => {
  for (const pair of pairs.splice(0)) await Promise.all([pair.http.close(), pair.direct.close()]);
  await service?.close();
});

/** One gateway over HTTP and one in process, alike in everything else. */
async function startPair(
  options: { functionName?: string; integrationTimeoutMs?: number; authorizer?: GatewayAuthorizerOptions } = {},
): Promise<Pair> {
  const logs = { http: [] as GatewayLogEntry[], direct: [] as GatewayLogEntry[] };
  const common = {
    port: 0,
    api: API,
    allowedOrigins: parseAllowedOrigins(['https://app.example.com']),
    authorizer: options.authorizer ?? ({ type: 'none' } as const),
    functionNames: { edge: options.functionName ?? 'target' },
    ...(options.integrationTimeoutMs === undefined ? {} : { integrationTimeoutMs: options.integrationTimeoutMs }),
  };
  const pair: Pair = {
    http: await startGateway({
      ...common,
      lambdaEndpoint: service.url,
      lambdaCredential: testCredential,
      onRequest: (entry) => logs.http.push(entry),
    }),
    direct: await startGateway({ ...common, lambdaService: service, onRequest: (entry) => logs.direct.push(entry) }),
    logs,
  };
  pairs.push(pair);
  return pair;
}

const post = (gateway: RunningGateway, body: unknown, route = '/run', headers: [string, string][] = []) =>
  send(`${gateway.url}${route}`, {
    method: 'POST',
    headers: [['content-type', 'application/json'], ['origin', 'https://app.example.com'], ...headers],
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function untilIdle(name: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if (service.pool(name)?.size.busy === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} stayed busy`);
}

/** What a client can compare between the two paths: everything but the per-request ids and dates. */
function comparable(answer: Received) {
  const { 'apigw-requestid': requestId, date, ...headers } = answer.headers;
  expect(requestId).toMatch(/\S/);
  return { status: answer.status, headers, text: answer.text };
}

/** The log entry without what differs per request (id, timings). */
function logged(entry: GatewayLogEntry | undefined) {
  expect(entry).toBeDefined();
  const { requestId, latencyMs, integrationLatencyMs, ...rest } = entry as GatewayLogEntry;
  return { ...rest, timed: typeof latencyMs === 'number', integrationTimed: typeof integrationLatencyMs === 'number' };
}

async function bothAnswer(pair: Pair, body: unknown, route?: string, headers?: [string, string][]) {
  const [overHttp, inProcess] = await Promise.all([
    post(pair.http, body, route, headers),
    post(pair.direct, body, route, headers),
  ]);
  expect(comparable(inProcess)).toEqual(comparable(overHttp));
  expect(logged(pair.logs.direct.at(-1))).toEqual(logged(pair.logs.http.at(-1)));
  return inProcess;
}

describe('gateway → Lambda service in process, against the same over HTTP', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });

  it('maps a structured answer alike: status, headers, cookies, UTF-8 body', async () => {
    const answer = await bothAnswer(pair, { action: 'answer' });
    expect(answer.status).toBe(201);
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.text).toBe('créé');
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('hands the function the same event (route key, path, body)', async () => {
    const answer = await bothAnswer(pair, { action: 'echo', text: 'ünïcode ✓' });
    expect(answer.json()).toEqual({
      routeKey: 'POST /run',
      rawPath: '/run',
      body: { action: 'echo', text: 'ünïcode ✓' },
      authorizer: null,
    });
  });

  it('answers a function error with the same 500', async () => {
    const answer = await bothAnswer(pair, { action: 'throw' });
    expect(answer.status).toBe(500);
    expect(answer.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers an environment that exits mid-invocation with the same 500, and the next request runs in a fresh one', async () => {
    const crashed = await bothAnswer(pair, { action: 'exit' });
    expect(crashed.status).toBe(500);
    const after = await bothAnswer(pair, { action: 'echo' });
    expect(after.status).toBe(200);
  });

  it('refuses an event over Lambda’s 6 MB request limit with the same 413', async () => {
    const answer = await bothAnswer(pair, { action: 'echo', padding: 'x'.repeat(6_400_000) });
    expect(answer.status).toBe(413);
  });

  it('answers past the function’s concurrency with the same 500, and recovers', async () => {
    // Concurrency 2: the third invocation at once is refused (429 from the Invoke API).
    const send3 = (gateway: RunningGateway) =>
      Promise.all([1, 2, 3].map(() => post(gateway, { action: 'wait', ms: 700 })));
    for (const gateway of [pair.http, pair.direct]) {
      const statuses = (await send3(gateway)).map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, 200, 500]);
    }
    expect((await post(pair.direct, { action: 'echo' })).status).toBe(200);
  });
});

describe('timeouts and missing functions, in process and over HTTP', () => {
  it('answers 503 at the integration timeout while the function still runs', async () => {
    const pair = await startPair({ integrationTimeoutMs: 300 });
    const answer = await bothAnswer(pair, { action: 'wait', ms: 900 });
    expect(answer.status).toBe(503);
    expect(answer.json()).toEqual({ message: 'Service Unavailable' });
    expect(pair.logs.direct.at(-1)?.integrationLatencyMs).toBeGreaterThanOrEqual(300);
    // Both invocations run on to their end in their environments; the next tests need them free.
    await untilIdle('target');
  });

  it('answers 500 when the integration’s function does not exist', async () => {
    const pair = await startPair({ functionName: 'no-such-function' });
    const answer = await bothAnswer(pair, { action: 'echo' });
    expect(answer.status).toBe(500);
    // The size is refused before the name is looked up, on both paths.
    const tooLarge = await bothAnswer(pair, { action: 'echo', padding: 'x'.repeat(6_400_000) });
    expect(tooLarge.status).toBe(413);
  });
});

describe('the Lambda authorizer, in process and over HTTP', () => {
  it('admits and refuses alike, the authorizer’s context reaching the integration', async () => {
    const pair = await startPair({
      authorizer: {
        type: 'lambda',
        functionName: 'authorizer',
        identitySource: ['$request.header.x-key'],
        resultsCacheTtlSeconds: 0,
        enableSimpleResponses: true,
      },
    });
    const admitted = await bothAnswer(pair, { action: 'echo' }, '/guarded', [['x-key', 'open']]);
    expect(admitted.status).toBe(200);
    expect((admitted.json() as { authorizer: unknown }).authorizer).toEqual({ lambda: { caller: 'opener' } });
    const refused = await bothAnswer(pair, { action: 'echo' }, '/guarded', [['x-key', 'closed']]);
    expect(refused.status).toBe(403);
    const missing = await bothAnswer(pair, { action: 'echo' }, '/guarded');
    expect(missing.status).toBe(401);
  });
});
