/**
 * Attacks on an execution environment's Runtime API from a second connection — another local
 * process, or a web page through no-cors requests or DNS rebinding — against a real runtime (Python's:
 * Node environments take their events on pipes, with no port to attack), counting what the runtime's
 * handler really ran. Only the environment's own runtime (the process the service started, or its
 * descendants) may take an invocation or answer one.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaService, startLambdaService } from '../src/lambda';
import { signedInvoke } from './helpers/signed-invoke';
import { testCredential } from './helpers/test-credential';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const runtimes = fileURLToPath(new URL('../src/lambda/runtimes/', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-runtime-attack-'));
const countFile = path.join(scratch, 'runs.txt');
const childCountFile = path.join(scratch, 'child-runs.txt');
const wrapped = path.join(scratch, 'wrapped');
/** Bound on any one attack request: a parked `/next` would otherwise wait for ever. */
const ATTACK_WAIT_MS = 2_000;

let service: LambdaService;

beforeAll(async () => {
  writeFileSync(countFile, '');
  writeFileSync(childCountFile, '');
  // A custom runtime whose bootstrap runs the real runtime as its child: descendants are admitted.
  mkdirSync(wrapped);
  copyFileSync(path.join(fixtures, 'counting.py'), path.join(wrapped, 'counting.py'));
  writeFileSync(path.join(wrapped, 'bootstrap'), `#!/bin/sh\npython3 "$PYTHON_RUNTIME"\nexit $?\n`);
  chmodSync(path.join(wrapped, 'bootstrap'), 0o755);
  service = await startLambdaService({
    credential: testCredential,
    port: 0,
    reloadOnChange: false,
    functions: [
      {
        name: 'counting',
        runtime: 'python3.12',
        codeDir: fixtures,
        handler: 'counting.handler',
        timeoutSeconds: 2,
        memoryMb: 128,
        environment: { COUNT_FILE: countFile },
        maxWorkers: 1,
        maxProcesses: 1,
      },
      {
        name: 'wrapped',
        runtime: 'provided.al2023',
        codeDir: wrapped,
        handler: 'counting.handler',
        timeoutSeconds: 3,
        memoryMb: 128,
        environment: {
          COUNT_FILE: childCountFile,
          PYTHON_RUNTIME: path.join(runtimes, 'python-bootstrap.py'),
          PYTHONDONTWRITEBYTECODE: '1',
        },
      },
    ],
  });
});

afterAll(async () => {
  await service?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface CountingAnswer {
  tag?: string;
  pid?: number;
  api?: string;
  errorMessage?: string;
}

async function invoke(event: unknown) {
  const response = await signedInvoke(service.url, 'counting', JSON.stringify(event));
  return {
    status: response.status,
    functionError: response.headers.get('x-amz-function-error'),
    body: (await response.json()) as CountingAnswer,
  };
}

function runs(file = countFile): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/** One request from this process (not the runtime's), answered or given up after a bound. */
function attack(
  api: string,
  method: string,
  route: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number | 'no answer'; body: string }> {
  const [host, port] = api.split(':');
  return new Promise((resolve) => {
    const req = request({
      host,
      port: Number(port),
      method,
      path: `/2018-06-01/runtime${route}`,
      headers,
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 'no answer', body: '' });
    }, ATTACK_WAIT_MS);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve({ status: 'no answer', body: '' });
    });
    req.end(body);
  });
}

/** Waits (bounded) until the handler has started `count` runs. */
async function runStarted(count: number): Promise<void> {
  for (let i = 0; i < 200 && runs().length < count; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('the Runtime API admits only its own runtime', () => {
  it('refuses another process’s /next while the runtime works, and the runtime then takes its own next event, once', async () => {
    // Arrange
    const warm = await invoke({ tag: 'warm' });
    const api = warm.body.api as string;
    const before = runs().length;
    const slow = invoke({ tag: 'slow', ms: 400 });
    await runStarted(before + 1);

    // Act
    const foreign = await attack(api, 'GET', '/invocation/next', { host: api });
    const slowAnswer = await slow;
    const after = await invoke({ tag: 'after' });

    // Assess
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).errorType).toBe('AccessDeniedException');
    expect(slowAnswer.body.tag).toBe('slow');
    expect(after).toMatchObject({ status: 200, functionError: null, body: { tag: 'after', pid: warm.body.pid } });
    expect(runs().length - before).toBe(2);
  });

  it('refuses a forged answer to the invocation in progress; the caller gets the runtime’s', async () => {
    // Arrange
    const warm = await invoke({ tag: 'warm' });
    const api = warm.body.api as string;
    const before = runs().length;
    const slow = invoke({ tag: 'genuine', ms: 400 });
    await runStarted(before + 1);
    const requestId = runs().at(-1) as string;

    // Act
    const forged = await attack(
      api,
      'POST',
      `/invocation/${requestId}/response`,
      { host: api, 'content-type': 'application/json' },
      JSON.stringify({ tag: 'forged' }),
    );
    const answer = await slow;

    // Assess
    expect(forged.status).toBe(403);
    expect(answer.body.tag).toBe('genuine');
  });

  it('refuses a request with an Origin or another Host before anything else', async () => {
    // Arrange
    const { body } = await invoke({ tag: 'warm' });
    const api = body.api as string;
    const port = api.split(':')[1];

    // Act
    const fromPage = await attack(api, 'GET', '/invocation/next', { host: api, origin: 'http://evil.example' });
    const rebound = await attack(api, 'GET', '/invocation/next', { host: `evil.example:${port}` });
    const after = await invoke({ tag: 'after' });

    // Assess
    expect(fromPage.status).toBe(403);
    expect(JSON.parse(fromPage.body).errorMessage).toMatch(/web pages/);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).errorMessage).toMatch(/evil\.example/);
    expect(after.body.tag).toBe('after');
  });

  it('ends an invocation the runtime took and never answered at the function’s timeout', async () => {
    // Act
    const answer = await invoke({ tag: 'stuck', ms: 60_000 });

    // Assess
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.body.errorMessage).toMatch(/Task timed out after 2\.00 seconds/);
  });

  it('admits a runtime that a custom bootstrap runs as its child', async () => {
    // Act
    const response = await signedInvoke(service.url, 'wrapped', JSON.stringify({ tag: 'child' }));

    // Assess
    expect(response.status).toBe(200);
    expect(((await response.json()) as CountingAnswer).tag).toBe('child');
    expect(runs(childCountFile)).toHaveLength(1);
  });
});

describe('a runtime given an error answer to /next', () => {
  /** A Runtime API that refuses every `/next`, as it refuses a foreign one; counts them. */
  async function refusingApi() {
    let nexts = 0;
    const server = createServer((req, res) => {
      if (req.url?.endsWith('/invocation/next')) nexts++;
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorMessage: 'refused', errorType: 'AccessDeniedException' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}`, nexts: () => nexts };
  }

  it('python: exits instead of running the handler on it', async () => {
    // Arrange
    const api = await refusingApi();
    const file = path.join(scratch, 'python-refused.txt');
    writeFileSync(file, '');

    // Act
    const child = spawn('python3', [path.join(runtimes, 'python-bootstrap.py')], {
      cwd: fixtures,
      env: {
        PATH: process.env.PATH,
        AWS_LAMBDA_RUNTIME_API: api.address,
        _HANDLER: 'counting.handler',
        LAMBDA_TASK_ROOT: fixtures,
        COUNT_FILE: file,
        PYTHONDONTWRITEBYTECODE: '1',
      },
      stdio: 'ignore',
    });
    const code = await new Promise<number | null | 'still running'>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running');
      }, 10_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    api.server.close();

    // Assess
    expect(code).toBe(1);
    expect(api.nexts()).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});
