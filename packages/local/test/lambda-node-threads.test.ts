/**
 * Node.js execution environments as worker threads (`isolation: 'thread'`), beyond the fault
 * matrix: each thread has its own `process.env` (what a handler sets stays in that environment),
 * the variables and heap limit a process gets, its credentials ended with it, its log lines in the
 * runtime's format — and only Node.js functions may ask for a thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FunctionDefinitionError,
  type LambdaService,
  type LocalFunctionDefinition,
  nodeBundle,
  startLambdaService,
} from '../src/lambda';
import { signedInvoke } from './helpers/signed-invoke';
import { testCredential } from './helpers/test-credential';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface Probe {
  environment: string;
  pid: number;
  env: Record<string, string | null>;
  cwd: string;
  argv: string[];
  heapSizeLimit: number;
}

function probeFunction(name: string, extra: Partial<LocalFunctionDefinition> = {}): LocalFunctionDefinition {
  return {
    name,
    ...nodeBundle(path.join(fixtures, 'env-probe.mjs')),
    timeoutSeconds: 5,
    memoryMb: 128,
    maxProcesses: 1,
    ...extra,
  };
}

describe('a Node.js environment as a worker thread', () => {
  const logLines: Array<{ name: string; stream: string; line: string }> = [];
  const issued: string[] = [];
  const revoked: string[] = [];
  let service: LambdaService;

  beforeAll(async () => {
    service = await startLambdaService({
      credential: testCredential,
      port: 0,
      reloadOnChange: false,
      onLog: (name, stream, line) => logLines.push({ name, stream, line }),
      nodeIsolation: 'thread',
      functions: [
        probeFunction('first'),
        probeFunction('second'),
        probeFunction('as-process', { isolation: 'process' }),
        probeFunction('with-credentials', {
          awsCredentials: {
            issue: () => {
              const token = `token-${issued.length}`;
              issued.push(token);
              return {
                environment: { AWS_CONTAINER_AUTHORIZATION_TOKEN: token },
                revoke: () => revoked.push(token),
              };
            },
          },
        }),
      ],
    });
  });
  afterAll(async () => {
    await service?.close();
    delete process.env.PROBE_MARK;
  });

  const invoke = async (name: string, event: Record<string, unknown>): Promise<Probe> => {
    const response = await signedInvoke(service.url, name, JSON.stringify(event));
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(response.headers.get('x-amz-function-error'), text).toBeNull();
    return JSON.parse(text) as Probe;
  };

  it('runs in the service process, with the variables a process gets and the same heap limit and arguments', async () => {
    // Act
    const thread = await invoke('first', { action: 'probe' });
    const own = await invoke('as-process', { action: 'probe' });

    // Assess
    expect(thread.pid).toBe(process.pid);
    expect(own.pid).not.toBe(process.pid);
    expect(service.pool('first')?.threadIds).toHaveLength(1);
    expect(service.pool('first')?.pids).toEqual([]);
    const codeDir = path.dirname(path.join(fixtures, 'env-probe.mjs'));
    expect(thread.env).toEqual({
      _HANDLER: 'env-probe.handler',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: 'first',
      AWS_LAMBDA_RUNTIME_API: null,
      LAMBDA_TASK_ROOT: codeDir,
      AWS_ACCESS_KEY_ID: testCredential.accessKeyId,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: null,
      PROBE_MARK: null,
    });
    expect({ ...thread.env, AWS_LAMBDA_FUNCTION_NAME: 'as-process' }).toEqual(own.env);
    expect(thread.heapSizeLimit).toBe(own.heapSizeLimit);
    expect(thread.argv).toEqual(own.argv);
    // The documented difference: a thread cannot change its working directory; a process starts in its code folder.
    expect(own.cwd).toBe(codeDir);
    expect(thread.cwd).toBe(process.cwd());
  });

  it("keeps what a handler sets in process.env to its own environment: not the service's, another function's or the next environment's", async () => {
    // Arrange
    const marked = await invoke('first', { action: 'set', value: 'first-was-here' });

    // Act
    const sameEnvironment = await invoke('first', { action: 'probe' });
    const otherFunction = await invoke('second', { action: 'probe' });
    service.reload('first');
    const nextEnvironment = await invoke('first', { action: 'probe' });

    // Assess
    expect(marked.env.PROBE_MARK).toBe('first-was-here');
    expect(sameEnvironment.environment).toBe(marked.environment);
    expect(sameEnvironment.env.PROBE_MARK).toBe('first-was-here');
    expect(process.env.PROBE_MARK).toBeUndefined();
    expect(otherFunction.env.PROBE_MARK).toBeNull();
    expect(nextEnvironment.environment).not.toBe(marked.environment);
    expect(nextEnvironment.env.PROBE_MARK).toBeNull();
  });

  it('gets its own credentials, ended when the thread ends', async () => {
    // Act
    const first = await invoke('with-credentials', { action: 'probe' });
    service.reload('with-credentials');
    const second = await invoke('with-credentials', { action: 'probe' });

    // Assess
    expect([first.env.AWS_CONTAINER_AUTHORIZATION_TOKEN, second.env.AWS_CONTAINER_AUTHORIZATION_TOKEN]).toEqual(issued);
    await expect.poll(() => revoked).toEqual([issued[0]]);
  });

  it("sends the handler's console lines to the log, one at a time, in the runtime's format", async () => {
    // Act
    await invoke('second', { action: 'log' });

    // Assess
    await expect
      .poll(() =>
        logLines.some((l) => l.name === 'second' && l.stream === 'stdout' && /\tINFO\tprobing log$/.test(l.line)),
      )
      .toBe(true);
  });

  it('ends a thread whose port carries something that is not a frame, and the next invocation runs on a fresh one', async () => {
    // Arrange
    const before = (await invoke('second', { action: 'probe' })).environment;

    // Act
    const garbled = await signedInvoke(service.url, 'second', JSON.stringify({ action: 'garble' }));
    const after = await invoke('second', { action: 'probe' });

    // Assess
    expect(garbled.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(((await garbled.json()) as { errorType: string }).errorType).toBe('Runtime.ExitError');
    expect(logLines.some((l) => l.line === "the runtime's channel broke: a message that is not a frame (object)")).toBe(
      true,
    );
    expect(after.environment).not.toBe(before);
  });

  it('leaves no thread behind when the service closes', async () => {
    // Arrange
    const pool = service.pool('second');
    expect(pool?.threadIds.length).toBeGreaterThan(0);

    // Act
    await service.close();

    // Assess
    expect(service.pools().flatMap((p) => p.threadIds)).toEqual([]);
  });
});

describe.each(['process', 'thread'] as const)('a Node.js environment (%s) that crashes or spins', (isolation) => {
  let service: LambdaService;
  beforeAll(async () => {
    service = await startLambdaService({
      credential: testCredential,
      port: 0,
      reloadOnChange: false,
      functions: [
        probeFunction('crashing', { isolation, maxProcesses: 2 }),
        probeFunction('spinning', { isolation, timeoutSeconds: 1 }),
      ],
    });
  });
  afterAll(() => service?.close());

  it('answers the uncaught error, and the next invocation never meets the dying environment', async () => {
    for (let round = 0; round < 3; round++) {
      // Act
      const crashed = await signedInvoke(service.url, 'crashing', JSON.stringify({ action: 'uncaught' }));
      const crash = await crashed.json();
      const next = await signedInvoke(service.url, 'crashing', JSON.stringify({ action: 'probe' }));

      // Assess
      expect(crashed.headers.get('x-amz-function-error')).toBe('Unhandled');
      expect(crash).toMatchObject({ errorType: 'RangeError', errorMessage: 'a callback failed mid-invocation' });
      expect(next.status).toBe(200);
      expect(next.headers.get('x-amz-function-error'), JSON.stringify(await next.clone().json())).toBeNull();
      await next.text();
    }
  });

  it('ends a handler that never yields at the timeout, and runs the next invocation on a fresh environment', async () => {
    // Act
    const spun = await signedInvoke(service.url, 'spinning', JSON.stringify({ action: 'spin' }));
    const next = await signedInvoke(service.url, 'spinning', JSON.stringify({ action: 'probe' }));

    // Assess
    expect(await spun.json()).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect([next.status, next.headers.get('x-amz-function-error')]).toEqual([200, null]);
    await next.text();
    expect(service.pool('spinning')?.size).toMatchObject({ idle: 1, busy: 0 });
  });
});

describe("isolation: 'thread' outside Node.js", () => {
  it.each([
    ['python3.12', 'handler.handler'],
    ['provided.al2023', 'function.handler'],
  ] as const)('refuses a %s definition that asks for a thread, saying what to do', async (runtime, handler) => {
    // Act
    const starting = startLambdaService({
      credential: testCredential,
      port: 0,
      reloadOnChange: false,
      functions: [
        {
          name: 'not-node',
          runtime,
          codeDir: fixtures,
          handler,
          timeoutSeconds: 1,
          memoryMb: 128,
          isolation: 'thread',
        },
      ],
    });

    // Assess
    await expect(starting).rejects.toThrow(FunctionDefinitionError);
    await expect(starting).rejects.toThrow(
      `function not-node: isolation 'thread' is for Node.js runtimes only (nodejs20.x, nodejs22.x); a ${runtime} function runs as its own process`,
    );
  });

  it('refuses an isolation it does not know', async () => {
    // Act
    const starting = startLambdaService({
      credential: testCredential,
      port: 0,
      reloadOnChange: false,
      functions: [probeFunction('odd', { isolation: 'fiber' as never })],
    });

    // Assess
    await expect(starting).rejects.toThrow(
      new FunctionDefinitionError(`function odd: isolation must be 'process' or 'thread', not "fiber"`),
    );
  });

  it('runs a Python function as its own process when the service runs Node.js functions as threads', async () => {
    // Arrange
    const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-threads-'));
    const service = await startLambdaService({
      credential: testCredential,
      port: 0,
      reloadOnChange: false,
      nodeIsolation: 'thread',
      functions: [
        {
          name: 'counting',
          runtime: 'python3.12',
          codeDir: fixtures,
          handler: 'counting.handler',
          timeoutSeconds: 5,
          memoryMb: 128,
          environment: { COUNT_FILE: path.join(scratch, 'count') },
        },
      ],
    });
    try {
      // Act
      const response = await signedInvoke(service.url, 'counting', '{}');
      const text = await response.text();

      // Assess
      expect([response.status, response.headers.get('x-amz-function-error')], text).toEqual([200, null]);
      expect((JSON.parse(text) as { pid: number }).pid).not.toBe(process.pid);
      expect(service.pool('counting')?.definition.isolation).toBe('process');
    } finally {
      await service.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
