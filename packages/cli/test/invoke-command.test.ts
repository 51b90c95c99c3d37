/**
 * `gatehouse invoke` for each runtime: a Node core (bundled as `gatehouse dev` bundles it) with
 * the event the edge would send for a route, a Python core with an event from a file, a
 * `provided.al2023` bootstrap — each printing the answer, the core's log lines and the duration —
 * plus the edge's refusal of a body its schema rejects, a failing core, usage mistakes, and
 * `--remote` against a stub Lambda endpoint that returns a log tail.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/cli-io';
import { main } from '../src/cli/main';

// Inside the package, so the config's imports (`@gatehouse/contract`, `zod`) resolve as in a project.
const dir = mkdtempSync(path.join(fileURLToPath(new URL('.', import.meta.url)), '.invoke-'));
const stateDir = path.join(dir, '.gatehouse');
const configFile = path.join(dir, 'gatehouse.config.ts');

beforeAll(() => {
  writeFileSync(
    configFile,
    `import { defineConfig } from '@gatehouse/contract';
import { z } from 'zod';
export default defineConfig({
  name: 'shop',
  routes: {
    'POST /orders/{id}': { core: 'orders', schema: z.object({ sku: z.string() }) },
    'POST /ask': { core: 'ask', schema: z.object({ prompt: z.string() }), payload: 'input' },
    'GET /custom': { core: 'custom' },
  },
  cores: {
    orders: { runtime: 'nodejs22.x', code: './orders', handler: 'main.handler' },
    ask: { runtime: 'python3.12', code: './ask', handler: 'handler.handler', existing: 'shop-ask-deployed' },
    custom: { runtime: 'provided.al2023', code: './custom', handler: 'unused.handler' },
  },
  origins: ['https://shop.example.com'],
});
`,
  );
  mkdirSync(path.join(dir, 'orders'));
  writeFileSync(
    path.join(dir, 'orders', 'main.ts'),
    `export const handler = async (event: { input?: { sku?: string } }) => {
  console.log('orders saw', event.input?.sku);
  if (event.input?.sku === 'boom') throw new Error('out of stock');
  if (event.input?.sku === 'denied') {
    throw Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/shop-orders-core/shop-orders is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders because no identity-based policy allows the dynamodb:PutItem action'), { name: 'AccessDeniedException' });
  }
  return { runtime: 'node', event };
};
`,
  );
  mkdirSync(path.join(dir, 'ask'));
  writeFileSync(
    path.join(dir, 'ask', 'handler.py'),
    'def handler(event, context):\n    print("ask saw", event)\n    return {"runtime": "python", "event": event, "function": context.function_name}\n',
  );
  mkdirSync(path.join(dir, 'custom'));
  const bootstrap = path.join(dir, 'custom', 'bootstrap');
  writeFileSync(
    bootstrap,
    `#!/usr/bin/env python3
import http.client, json, os
api = http.client.HTTPConnection(os.environ["AWS_LAMBDA_RUNTIME_API"])
while True:
    api.request("GET", "/2018-06-01/runtime/invocation/next")
    answer = api.getresponse()
    event, request_id = json.loads(answer.read()), answer.headers["Lambda-Runtime-Aws-Request-Id"]
    print("custom saw", json.dumps(event), flush=True)
    api.request("POST", f"/2018-06-01/runtime/invocation/{request_id}/response", json.dumps({"runtime": "provided", "event": event}))
    api.getresponse().read()
`,
  );
  chmodSync(bootstrap, 0o755);
  writeFileSync(path.join(dir, 'event.json'), '{"prompt": "from a file"}');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {}, isTTY: false };
}

async function invoke(...args: string[]) {
  const io = captureIo();
  const code = await main(['invoke', ...args, '--config', configFile, '--state-dir', stateDir], io);
  return { code, answer: io.stdout.join('\n'), log: io.stderr.join('\n') };
}

describe('gatehouse invoke, per runtime', () => {
  it("Node: --route builds the edge's enriched event from a body and path parameter, and prints answer, log and duration", async () => {
    // Act
    const { code, answer, log } = await invoke(
      'orders',
      '--route',
      'POST /orders/{id}',
      '--body',
      '{"sku":"A-1"}',
      '--param',
      'id=42',
      '--groups',
      'buyers',
    );

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(answer)).toMatchObject({
      runtime: 'node',
      event: {
        input: { sku: 'A-1' },
        pathParameters: { id: '42' },
        identity: { sub: 'gatehouse-invoke', groups: ['buyers'] },
        requestMeta: { routeKey: 'POST /orders/{id}', sourceIp: '127.0.0.1' },
      },
    });
    expect(log).toMatch(/orders saw A-1/);
    expect(log).toMatch(/answered in \d+ ms \(cold start included\)/);
  }, 60_000);

  it('Python: --event @file reaches the handler as is, with the function name the construct deploys', async () => {
    // Act
    const { code, answer, log } = await invoke('ask', '--event', `@${path.join(dir, 'event.json')}`);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(answer)).toEqual({ runtime: 'python', event: { prompt: 'from a file' }, function: 'shop-ask' });
    expect(log).toMatch(/ask saw \{'prompt': 'from a file'\}/);
  }, 60_000);

  it('Python: a payload-"input" route sends the validated body alone', async () => {
    // Act
    const { code, answer } = await invoke('ask', '--route', 'POST /ask', '--body', '{"prompt":"hi"}');

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(answer).event).toEqual({ prompt: 'hi' });
  }, 60_000);

  it('provided.al2023: the bootstrap gets the event through the Runtime API', async () => {
    // Act
    const { code, answer, log } = await invoke('custom', '--event', '{"n":1}');

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(answer)).toEqual({ runtime: 'provided', event: { n: 1 } });
    expect(log).toMatch(/custom saw \{"n": 1\}/);
  }, 60_000);
});

describe('gatehouse invoke, when something is wrong', () => {
  it('a body the schema refuses is reported as the 422 the edge would answer, and the core does not run', async () => {
    // Act
    const { code, answer, log } = await invoke(
      'orders',
      '--route',
      'POST /orders/{id}',
      '--body',
      '{"sku":7}',
      '--param',
      'id=1',
    );

    // Assess
    expect(code).toBe(1);
    expect(answer).toBe('');
    expect(log).toMatch(
      /the edge would answer 422 — the body does not pass POST \/orders\/\{id\}'s schema:\n {2}sku: /,
    );
    expect(log).not.toMatch(/orders saw/);
  }, 60_000);

  it("a core that throws exits 1 and prints Lambda's error payload", async () => {
    // Act
    const { code, answer, log } = await invoke('orders', '--event', '{"input":{"sku":"boom"}}');

    // Assess
    expect(code).toBe(1);
    expect(JSON.parse(answer)).toMatchObject({ errorType: 'Error', errorMessage: 'out of stock' });
    expect(log).toMatch(/failed in \d+ ms/);
  }, 60_000);

  it('an AccessDenied from the core names the permission it lacks and the config line that grants it', async () => {
    // Act
    const { code, log } = await invoke('orders', '--event', '{"input":{"sku":"denied"}}');

    // Assess
    expect(code).toBe(1);
    expect(log).toContain(
      "the core lacks permission dynamodb:PutItem on arn:aws:dynamodb:eu-west-1:123456789012:table/orders: add { actions: ['dynamodb:PutItem'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'] } to cores.orders.permissions",
    );
  }, 60_000);

  it.each([
    [['nope'], /"nope" is not a core of .*gatehouse\.config\.ts \(cores: orders, ask, custom\)/],
    [['orders', '--body', '{}'], /--body needs --route/],
    [['orders', '--route', 'POST /ask'], /route "POST \/ask" calls core "ask", not "orders"/],
    [['orders', '--route', 'POST /orders/{id}', '--body', '{"sku":"a"}'], /POST \/orders\/\{id\} needs --param id=…/],
    [['orders', '--event', '{not json'], /--event is not JSON/],
    [['orders', '--function', 'x'], /--function needs --remote/],
    [
      ['custom', '--remote'],
      /core "custom" has no deployed function in the config \(remote or existing\): name it with --function/,
    ],
  ])('refuses %j as a usage error', async (args, message) => {
    // Act
    const { code, log } = await invoke(...args);

    // Assess
    expect(code).toBe(2);
    expect(log).toMatch(message);
  });
});

describe('gatehouse invoke --remote', () => {
  it("invokes the deployed function (the config's existing) and prints its answer and log tail", async () => {
    // Prepare: a Lambda endpoint that answers with a log tail, as LogType Tail does
    const seen: string[] = [];
    const lambda = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-amz-log-type']}`);
      const tail = Buffer.from('START RequestId: 1\nask saw remote\nEND RequestId: 1\n').toString('base64');
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-log-result': tail });
      res.end('{"runtime":"deployed"}');
    });
    await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAINVOKETEST000000';
    process.env.AWS_SECRET_ACCESS_KEY = 'invoke-test-secret';

    // Act
    const endpoint = `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`;
    const { code, answer, log } = await invoke(
      'ask',
      '--remote',
      '--region',
      'eu-west-1',
      '--endpoint',
      endpoint,
    ).finally(() => {
      lambda.close();
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    });

    // Assess
    expect(code).toBe(0);
    expect(seen).toEqual(['POST /2015-03-31/functions/shop-ask-deployed/invocations Tail']);
    expect(JSON.parse(answer)).toEqual({ runtime: 'deployed' });
    expect(log).toMatch(/ask saw remote/);
    expect(log).toMatch(/answered in \d+ ms \(round trip to AWS\)/);
  });
});
