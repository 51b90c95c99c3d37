/**
 * What each runtime gives a handler beyond the fault matrix: the Python context object, `print` and
 * `logging` lines under the request id, a module imported once per environment, the Runtime API
 * environment — and the messages a developer gets when the interpreter, the handler or the
 * bootstrap is missing.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaService, type LocalFunctionDefinition, startLambdaService } from '../src/lambda';
import { signedInvoke } from './helpers/signed-invoke';
import { testCredential } from './helpers/test-credential';

const fixtures = fileURLToPath(new URL('./fixtures/runtimes/', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-runtimes-'));
const python = path.join(fixtures, 'python');
const base = { timeoutSeconds: 3, memoryMb: 256, environment: { RUNS_DIR: scratch } };

let service: LambdaService;
const logLines: string[] = [];

beforeAll(async () => {
  const notExecutable = path.join(scratch, 'not-executable');
  const noBootstrap = path.join(scratch, 'no-bootstrap');
  mkdirSync(notExecutable);
  mkdirSync(noBootstrap);
  writeFileSync(path.join(notExecutable, 'bootstrap'), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(notExecutable, 'bootstrap'), 0o644);
  const py = (name: string, extra: Partial<LocalFunctionDefinition> = {}): LocalFunctionDefinition => ({
    name,
    runtime: 'python3.13',
    codeDir: python,
    handler: 'handler.handler',
    ...base,
    ...extra,
  });
  service = await startLambdaService({
    credential: testCredential,
    port: 0,
    reloadOnChange: false,
    onLog: (name, _stream, line) => logLines.push(`${name}: ${line}`),
    functions: [
      py('py'),
      py('py-missing-module', { handler: 'nowhere.handler' }),
      py('py-missing-function', { handler: 'handler.absent' }),
      py('py-no-interpreter', { environment: { PATH: path.join(scratch, 'empty-path') } }),
      { name: 'not-executable', runtime: 'provided.al2023', codeDir: notExecutable, handler: 'x', ...base },
      { name: 'no-bootstrap', runtime: 'provided.al2023', codeDir: noBootstrap, handler: 'x', ...base },
      {
        name: 'node-missing-module',
        runtime: 'nodejs22.x',
        codeDir: path.join(fixtures, 'node'),
        handler: 'nowhere.handler',
        ...base,
      },
    ],
  });
});

afterAll(async () => {
  await service?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function invoke(name: string, event: unknown) {
  const response = await signedInvoke(service.url, name, JSON.stringify(event));
  const text = await response.text();
  return {
    status: response.status,
    functionError: response.headers.get('x-amz-function-error'),
    requestId: response.headers.get('x-amzn-requestid') ?? '',
    json: () => JSON.parse(text),
  };
}

describe('python', () => {
  it("gives the handler AWS's context object and Lambda's environment", async () => {
    const answer = await invoke('py', { action: 'context' });
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({
      aws_request_id: answer.requestId,
      function_name: 'py',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:py',
      memory_limit_in_mb: '256',
      log_group_name: '/aws/lambda/py',
      log_stream_name: 'local/[$LATEST]py',
      sys_path_0: python,
      execution_env: 'AWS_Lambda_python3.13',
      handler: 'handler.handler',
      task_root: python,
    });
    expect(body.runtime_api).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(body.remaining).toBeGreaterThan(0);
    expect(body.remaining).toBeLessThanOrEqual(3000);
  });

  it('imports the handler module once per environment', async () => {
    const first = (await invoke('py', { action: 'context' })).json();
    const second = (await invoke('py', { action: 'context' })).json();
    expect(second.imported_at).toBe(first.imported_at);
  });

  it('sends print and logging lines to the dev log, logging in AWS format under the request id', async () => {
    const answer = await invoke('py', { action: 'context' });
    await expect.poll(() => logLines.includes('py: hello from print')).toBe(true);
    await expect
      .poll(() => logLines.find((l) => l.endsWith(`\t${answer.requestId}\thello from logging`)))
      .toMatch(/^py: \[INFO\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t/);
  });

  it("returns AWS's error document: class name, message, stack trace list and request id", async () => {
    const answer = await invoke('py', { action: 'typed', partner: 'acme' });
    expect(answer.functionError).toBe('Unhandled');
    const body = answer.json();
    expect(body).toMatchObject({
      errorType: 'NotFoundError',
      errorMessage: 'No partner acme',
      requestId: answer.requestId,
    });
    expect(body.stackTrace[0]).toMatch(/File ".*handler\.py", line \d+, in handler/);
    expect(body.stackTrace.join('')).not.toContain('python-bootstrap');
  });

  it('names a local python3 of another version once on stderr, and runs anyway', async () => {
    const [major, minor] = execFileSync('python3', ['-c', 'import sys; print(*sys.version_info[:2])'], {
      encoding: 'utf8',
    })
      .trim()
      .split(' ');
    const warning = logLines.find((l) => l.startsWith('py: gatehouse: this function'));
    if (`${major}.${minor}` === '3.13') expect(warning).toBeUndefined();
    else
      expect(warning).toBe(
        `py: gatehouse: this function's runtime is python3.13, but the local python3 is ${major}.${minor}; code runs on ${major}.${minor} here`,
      );
  });
});

describe('what a developer must fix', () => {
  it.each([
    ['py-missing-module', 'Runtime.ImportModuleError', "Unable to import module 'nowhere': No module named 'nowhere'"],
    ['py-missing-function', 'Runtime.HandlerNotFound', "Handler 'absent' missing on module 'handler'"],
    ['py-no-interpreter', 'Runtime.InvalidEntrypoint', 'python3 was not found on PATH'],
    ['not-executable', 'Runtime.InvalidEntrypoint', 'permission denied. Make it executable: chmod +x'],
    ['no-bootstrap', 'Runtime.InvalidEntrypoint', "Couldn't find valid bootstrap(s)"],
    ['node-missing-module', 'Runtime.ImportModuleError', "Error: Cannot find module 'nowhere'"],
  ])('%s: %s as the init error, and in the dev log', async (name, errorType, message) => {
    const answer = await invoke(name, {});
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.json().errorType).toBe(errorType);
    expect(answer.json().errorMessage).toContain(message);
    expect(logLines.filter((l) => l.startsWith(`${name}: `)).join('\n')).toContain(message);
  });
});
