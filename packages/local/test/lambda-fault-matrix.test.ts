/**
 * The core fault matrix, over every runtime the local Lambda service runs (Node.js — as processes
 * and as worker threads, `isolation: 'thread'` —, Python, a `provided` bootstrap): success, a thrown error, a typed error, a hang, a non-JSON answer, an
 * oversize answer, a crash, an init error, memory and throttling — each asserting the Invoke API's
 * answer, how many times the code really ran (the fixtures count executions in files), and that the
 * next invocation succeeds on a fresh environment.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionIsolation,
  type LambdaRuntime,
  type LambdaService,
  type LocalFunctionDefinition,
  startLambdaService,
} from '../src/lambda';
import { signedInvoke } from './helpers/signed-invoke';
import { testCredential } from './helpers/test-credential';

const fixtures = fileURLToPath(new URL('./fixtures/runtimes/', import.meta.url));
const runsDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-runs-'));

interface RuntimeCase {
  /** Names the case and prefixes its functions' names. */
  label: string;
  runtime: LambdaRuntime;
  isolation?: FunctionIsolation;
  codeDir: string;
  handler: string;
  /** What the runtime names a plain thrown error, and the init error. */
  thrownType: string;
  initErrorType: string;
  /** The Invoke API's answer to a value that is not JSON. */
  nonJson: { functionError: string | null; body: (text: string) => void };
}

const NODE: Omit<RuntimeCase, 'label'> = {
  runtime: 'nodejs22.x',
  codeDir: path.join(fixtures, 'node'),
  handler: 'index.handler',
  thrownType: 'Error',
  initErrorType: 'TypeError',
  nonJson: {
    functionError: 'Unhandled',
    body: (text) => expect(JSON.parse(text)).toMatchObject({ errorType: 'Runtime.MarshalError' }),
  },
};

const CASES: RuntimeCase[] = [
  { label: 'nodejs22.x', ...NODE },
  { label: 'nodejs22.x (thread)', ...NODE, isolation: 'thread' },
  {
    label: 'python3.12',
    runtime: 'python3.12',
    codeDir: path.join(fixtures, 'python'),
    handler: 'handler.handler',
    thrownType: 'Exception',
    initErrorType: 'RuntimeError',
    nonJson: {
      functionError: 'Unhandled',
      body: (text) =>
        expect(JSON.parse(text)).toMatchObject({
          errorType: 'Runtime.MarshalError',
          errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
        }),
    },
  },
  {
    label: 'provided.al2023',
    runtime: 'provided.al2023',
    codeDir: path.join(fixtures, 'provided'),
    handler: 'function.handler',
    thrownType: 'Error',
    initErrorType: 'Runtime.InitError',
    nonJson: { functionError: null, body: (text) => expect(text).toBe('not json') },
  },
];

let service: LambdaService;
let nextId = 0;

function definition(
  c: RuntimeCase,
  name: string,
  extra: Partial<LocalFunctionDefinition> = {},
): LocalFunctionDefinition {
  return {
    name,
    runtime: c.runtime,
    ...(c.isolation ? { isolation: c.isolation } : {}),
    codeDir: c.codeDir,
    handler: c.handler,
    timeoutSeconds: 2,
    memoryMb: 128,
    maxWorkers: 2,
    ...extra,
    environment: { RUNS_DIR: runsDir, ...extra.environment },
  };
}

beforeAll(async () => {
  service = await startLambdaService({
    credential: testCredential,
    port: 0,
    reloadOnChange: false,
    functions: CASES.flatMap((c) => [
      definition(c, `${prefix(c)}-core`),
      definition(c, `${prefix(c)}-init`, { environment: { FAIL_INIT: '1' } }),
      definition(c, `${prefix(c)}-single`, { maxWorkers: 1, timeoutSeconds: 5 }),
    ]),
  });
});

afterAll(async () => {
  await service?.close();
  rmSync(runsDir, { recursive: true, force: true });
});

function prefix(c: RuntimeCase): string {
  return c.isolation ? `${c.runtime}-${c.isolation}` : c.runtime;
}

/**
 * Which execution environment answered: its process id, and its thread's when it is a thread (a
 * thread shares the service's process id).
 */
function environmentOf(answer: { pid: number; environment?: string }): string {
  return answer.environment ?? `${answer.pid}/0`;
}

/** The execution environments of a function alive now, as `environmentOf` names them. */
function liveEnvironments(name: string): string[] {
  const pool = service.pool(name);
  return [
    ...(pool?.pids ?? []).map((pid) => `${pid}/0`),
    ...(pool?.threadIds ?? []).map((threadId) => `${process.pid}/${threadId}`),
  ];
}

async function invoke(name: string, event: Record<string, unknown>) {
  const id = `run-${nextId++}`;
  const response = await signedInvoke(service.url, name, JSON.stringify({ ...event, id }));
  const text = await response.text();
  return {
    status: response.status,
    functionError: response.headers.get('x-amz-function-error'),
    errorType: response.headers.get('x-amzn-errortype'),
    requestId: response.headers.get('x-amzn-requestid') ?? '',
    text,
    json: () => JSON.parse(text),
    /** How many times the code ran for this request. */
    runs: () =>
      existsSync(path.join(runsDir, id))
        ? readFileSync(path.join(runsDir, id), 'utf8').split('\n').filter(Boolean).length
        : 0,
  };
}

/** The next invocation succeeds, on an environment other than `environment`. */
async function expectRecovery(name: string, environment: string | undefined) {
  const next = await invoke(name, { action: 'ok' });
  expect(next.status).toBe(200);
  expect(next.functionError, next.text).toBeNull();
  expect(next.runs()).toBe(1);
  if (environment !== undefined) expect(environmentOf(next.json())).not.toBe(environment);
}

/** The environment a warm invocation ran on. */
async function warmEnvironment(name: string): Promise<string> {
  const answer = await invoke(name, { action: 'ok' });
  expect(answer.status).toBe(200);
  return environmentOf(answer.json());
}

describe.each(CASES)('$label', (c) => {
  const core = `${prefix(c)}-core`;

  it('success: 200 with the JSON answer, run once', async () => {
    const answer = await invoke(core, { action: 'ok', n: 10 });
    expect([answer.status, answer.functionError]).toEqual([200, null]);
    expect(answer.json()).toMatchObject({ ok: true, requestId: answer.requestId, work: 45 });
    expect(answer.runs()).toBe(1);
    // A thread runs in the service's process (here, this test's); a process is its own.
    expect(answer.json().pid === process.pid).toBe(c.isolation === 'thread');
  });

  it('thrown error: an Unhandled function error in AWS shape, the environment kept', async () => {
    const environment = await warmEnvironment(core);
    const answer = await invoke(core, { action: 'throw' });
    expect([answer.status, answer.functionError]).toEqual([200, 'Unhandled']);
    expect(answer.json()).toMatchObject({ errorType: c.thrownType, errorMessage: 'boom' });
    expect(answer.runs()).toBe(1);
    expect(environmentOf((await invoke(core, { action: 'ok' })).json())).toBe(environment);
  });

  it('typed error: errorType is the error class name', async () => {
    const answer = await invoke(core, { action: 'typed', partner: 'acme' });
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.json()).toMatchObject({ errorType: 'NotFoundError', errorMessage: 'No partner acme' });
    expect(answer.runs()).toBe(1);
  });

  it('hang: killed at the timeout with Sandbox.Timedout, then a fresh environment', async () => {
    const environment = await warmEnvironment(core);
    const answer = await invoke(core, { action: 'hang' });
    expect(answer.json()).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${answer.requestId} Error: Task timed out after 2.00 seconds`,
    });
    expect(answer.runs()).toBe(1);
    await expectRecovery(core, environment);
  });

  it('non-JSON answer: as Lambda passes it on', async () => {
    const answer = await invoke(core, { action: 'non-json' });
    expect(answer.status).toBe(200);
    expect(answer.functionError).toBe(c.nonJson.functionError);
    c.nonJson.body(answer.text);
    expect(answer.runs()).toBe(1);
  });

  it('oversize answer: Function.ResponseSizeTooLarge', async () => {
    const answer = await invoke(core, { action: 'oversize' });
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.json()).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
    expect(answer.runs()).toBe(1);
  });

  it('crash: Runtime.ExitError with the exit status, then a fresh environment', async () => {
    const environment = await warmEnvironment(core);
    const answer = await invoke(core, { action: 'crash' });
    expect(answer.json()).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${answer.requestId} Error: Runtime exited with error: exit status 3`,
    });
    expect(answer.runs()).toBe(1);
    await expectRecovery(core, environment);
  });

  it('crash after answering: the dead environment is never handed the next invocation', async () => {
    const first = await invoke(core, { action: 'late-crash' });
    expect(first.json()).toMatchObject({ ok: true });
    const environment = environmentOf(first.json());
    await expect.poll(() => liveEnvironments(core).includes(environment), { timeout: 5_000 }).toBe(false);
    await expectRecovery(core, environment);
  });

  it('an idle environment ended from outside: the next invocation runs on a fresh one', async () => {
    if (c.isolation === 'thread') {
      // Nothing outside the service's process can end one of its threads; the closest is a thread
      // that ends while idle without the service asking.
      const ending = environmentOf((await invoke(core, { action: 'idle-exit' })).json());
      await expect.poll(() => liveEnvironments(core).includes(ending), { timeout: 5_000 }).toBe(false);
      await expectRecovery(core, ending);
      return;
    }
    const answer = await invoke(core, { action: 'ok' });
    process.kill(answer.json().pid, 'SIGKILL');
    await expectRecovery(core, environmentOf(answer.json()));
  });

  it('init error: the runtime reports it, nothing runs', async () => {
    const answer = await invoke(`${prefix(c)}-init`, { action: 'ok' });
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.json()).toMatchObject({ errorType: c.initErrorType, errorMessage: 'config is missing TABLE_NAME' });
    expect(answer.runs()).toBe(0);
  });

  it('memory: past the function memory size, Runtime.OutOfMemory and a fresh environment', async () => {
    const environment = await warmEnvironment(core);
    const answer = await invoke(core, { action: 'memory' });
    expect(answer.json()).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${answer.requestId} Error: Runtime exited with error: signal: killed`,
    });
    expect(answer.runs()).toBe(1);
    await expectRecovery(core, environment);
  });

  it('throttle: past the concurrency, 429 TooManyRequestsException and the code does not run', async () => {
    const single = `${prefix(c)}-single`;
    await warmEnvironment(single);
    const busy = invoke(single, { action: 'sleep', ms: 1_500 });
    await expect.poll(() => service.pool(single)?.size.busy).toBe(1);
    const refused = await invoke(single, { action: 'ok' });
    expect([refused.status, refused.errorType]).toEqual([429, 'TooManyRequestsException']);
    expect(refused.runs()).toBe(0);
    expect((await busy).runs()).toBe(1);
    await expectRecovery(single, undefined);
  });
});
