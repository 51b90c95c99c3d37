/**
 * The local Lambda service through its Invoke API, with fixture bundles: what a caller (the edge's
 * SigV4 client, the gateway) sees — payloads, headers, error bodies, limits, timeouts, pooling and
 * reload.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import aws4 from 'aws4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaService, MAX_REQUEST_BYTES, nodeBundle, startLambdaService } from '../src/lambda';
import { testCredential } from './helpers/test-credential';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-lambda-'));
const reloadable = path.join(scratch, 'index.mjs');

let service: LambdaService;
const logLines: string[] = [];

beforeAll(async () => {
  writeFileSync(reloadable, 'export const handler = async () => ({ version: 1 });\n');
  service = await startLambdaService({
    credential: testCredential,
    port: 0,
    onLog: (name, _stream, line) => logLines.push(`${name}: ${line}`),
    functions: [
      {
        name: 'behaviours',
        ...nodeBundle(path.join(fixtures, 'behaviours.mjs')),
        timeoutSeconds: 2,
        memoryMb: 256,
        environment: { OWN_SETTING: 'on' },
        maxWorkers: 2,
      },
      { name: 'init-crash', ...nodeBundle(path.join(fixtures, 'init-crash.mjs')), timeoutSeconds: 3, memoryMb: 128 },
      {
        name: 'callback-style',
        ...nodeBundle(path.join(fixtures, 'callback-style.mjs')),
        timeoutSeconds: 3,
        memoryMb: 128,
      },
      {
        name: 'no-export',
        ...nodeBundle(path.join(fixtures, 'callback-style.mjs')),
        handler: 'callback-style.main',
        timeoutSeconds: 3,
        memoryMb: 128,
      },
      { name: 'reloadable', ...nodeBundle(reloadable), timeoutSeconds: 3, memoryMb: 128 },
      {
        name: 'one-process',
        ...nodeBundle(path.join(fixtures, 'behaviours.mjs')),
        timeoutSeconds: 4,
        memoryMb: 128,
        maxWorkers: 3,
        maxProcesses: 1,
      },
    ],
  });
});

afterAll(async () => {
  await service?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Signed with the local credential, as the edge's client signs (the Invoke API refuses anything else). */
async function invoke(
  name: string,
  event: unknown,
  headers: Record<string, string> = {},
  query = '',
  signal?: AbortSignal,
) {
  const path = `/2015-03-31/functions/${encodeURIComponent(name)}/invocations${query}`;
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const signed = aws4.sign(
    {
      service: 'lambda',
      region: 'us-east-1',
      method: 'POST',
      host: new URL(service.url).host,
      path,
      body,
      headers: { 'content-type': 'application/json', ...headers },
    },
    testCredential,
  );
  const response = await fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
    ...(signal ? { signal } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

describe('invoke', () => {
  it('runs the handler with a Lambda context and environment', async () => {
    // Act
    const answer = await invoke('behaviours', { action: 'echo', n: 1 });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(answer.headers.get('x-amz-function-error')).toBeNull();
    const body = answer.json();
    expect(body.event).toEqual({ action: 'echo', n: 1 });
    expect(body.context).toMatchObject({
      functionName: 'behaviours',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:behaviours',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/behaviours',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(body.context.awsRequestId).toBe(answer.headers.get('x-amzn-requestid'));
    expect(body.context.remaining).toBeGreaterThan(0);
    expect(body.context.remaining).toBeLessThanOrEqual(2000);
    expect(body.env).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'behaviours',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_ACCESS_KEY_ID: testCredential.accessKeyId,
      OWN_SETTING: 'on',
    });
  });

  it('accepts full and partial ARNs and the $LATEST qualifier', async () => {
    // Act
    const full = await invoke('arn:aws:lambda:us-east-1:000000000000:function:behaviours', { action: 'echo' });
    const partial = await invoke('000000000000:function:behaviours:$LATEST', { action: 'echo' });
    const query = await invoke('behaviours', { action: 'echo' }, {}, '?Qualifier=%24LATEST');

    // Assess
    expect([full.status, partial.status, query.status]).toEqual([200, 200, 200]);
  });

  it('supports callback-style handlers', async () => {
    const answer = await invoke('callback-style', { n: 21 });
    expect(answer.json()).toEqual({ doubled: 42 });
  });

  it('forwards worker output to the log, prefixed as on AWS', async () => {
    // Act
    const answer = await invoke('behaviours', { action: 'log' });

    // Assess
    const requestId = answer.headers.get('x-amzn-requestid');
    await expect
      .poll(() => logLines.find((l) => l.includes('hello from behaviours')))
      .toMatch(
        new RegExp(`^behaviours: \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${requestId}\\tINFO\\thello from behaviours$`),
      );
  });

  it('answers DryRun with 204 and Event with 202', async () => {
    const dry = await invoke('behaviours', { action: 'echo' }, { 'x-amz-invocation-type': 'DryRun' });
    const event = await invoke('behaviours', { action: 'echo' }, { 'x-amz-invocation-type': 'Event' });
    expect([dry.status, dry.text, event.status, event.text]).toEqual([204, '', 202, '']);
  });

  it('refuses an Event payload over 1 MB with 413, as Lambda does', async () => {
    const event = await invoke(
      'behaviours',
      { action: 'echo', text: 'x'.repeat(1_048_576) },
      {
        'x-amz-invocation-type': 'Event',
      },
    );
    expect(event.status).toBe(413);
    expect(event.json()).toMatchObject({ Type: 'User', Message: expect.stringContaining('1048576 bytes') });
  });
});

describe('function errors', () => {
  it('returns a thrown error as an Unhandled function error with type, message and trace', async () => {
    // Act
    const answer = await invoke('behaviours', { action: 'throw', partner: 'acme' });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = answer.json();
    expect(body).toMatchObject({ errorType: 'PartnerNotFoundError', errorMessage: 'No partner acme' });
    expect(body.trace[0]).toBe('PartnerNotFoundError: No partner acme');
  });

  it('kills a handler that outlives its timeout and reports it as AWS does', async () => {
    // Act
    const answer = await invoke('behaviours', { action: 'wait', ms: 5_000 });

    // Assess
    expect(answer.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(answer.json()).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${answer.headers.get('x-amzn-requestid')} Error: Task timed out after 2.00 seconds`,
    });
    expect((await invoke('behaviours', { action: 'wait', ms: 1 })).status).toBe(200);
  });

  it('reports an init crash, a missing handler and an unhandled rejection', async () => {
    // Act
    const crash = await invoke('init-crash', {});
    const missing = await invoke('no-export', {});
    const leak = await invoke('behaviours', { action: 'leak' });

    // Assess
    expect(crash.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(crash.json()).toMatchObject({ errorType: 'TypeError', errorMessage: 'config is missing TABLE_NAME' });
    expect(missing.json()).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'callback-style.main is undefined or not exported',
    });
    expect(leak.json()).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody awaited me',
    });
  });

  it('turns a response over 6 MB into the AWS function error', async () => {
    const answer = await invoke('behaviours', { action: 'big', bytes: 6_300_000 });
    expect(answer.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(answer.json()).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });
});

describe('service errors', () => {
  it('answers an unknown function with 404 ResourceNotFoundException', async () => {
    // Act
    const answer = await invoke('missing', {});
    const qualified = await invoke('behaviours', {}, {}, '?Qualifier=prod');

    // Assess
    expect(answer.status).toBe(404);
    expect(answer.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(answer.json()).toEqual({
      Type: 'User',
      Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
    });
    expect(qualified.json().Message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:behaviours:prod',
    );
  });

  it('refuses a request over 6 MB with 413 RequestTooLargeException', async () => {
    // Act
    const answer = await invoke('behaviours', JSON.stringify({ blob: 'x'.repeat(MAX_REQUEST_BYTES) }));

    // Assess
    expect(answer.status).toBe(413);
    expect(answer.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
    expect(answer.json().Message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
  });

  it('refuses a body that is not JSON', async () => {
    const answer = await invoke('behaviours', '{not json');
    expect([answer.status, answer.headers.get('x-amzn-errortype')]).toEqual([400, 'InvalidRequestContentException']);
  });
});

describe('pooling and reload', () => {
  it('runs one invocation per environment and refuses past the concurrency with 429, never queueing', async () => {
    // Act: four 300 ms invocations against a concurrency of two
    const answers = await Promise.all([1, 2, 3, 4].map(() => invoke('behaviours', { action: 'wait', ms: 300 })));

    // Assess
    const ran = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect([ran.length, refused.length]).toEqual([2, 2]);
    expect(new Set(ran.map((a) => a.json().pid as number)).size).toBe(2);
    expect(refused[0]?.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(refused[0]?.json()).toEqual({
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
      message: 'Rate Exceeded.',
    });
    expect(service.pool('behaviours')?.size).toEqual({ idle: 2, busy: 0, waiting: 0 });
  });

  it('lets invocations in flight finish when the function is registered again, then runs the new configuration', async () => {
    // Prepare
    const definition = service.pool('behaviours')?.definition;
    if (!definition) throw new Error('behaviours is not registered');
    const inFlight = invoke('behaviours', { action: 'wait', ms: 300 });
    await expect.poll(() => service.pool('behaviours')?.size.busy).toBe(1);

    // Act
    service.register({ ...definition, environment: { OWN_SETTING: 'updated' } });

    // Assess
    expect((await inFlight).json().pid).toEqual(expect.any(Number));
    expect((await invoke('behaviours', { action: 'echo' })).json().env.OWN_SETTING).toBe('updated');
  });

  it('cold-starts the new code after the bundle file changes', async () => {
    // Prepare
    expect((await invoke('reloadable', {})).json()).toEqual({ version: 1 });
    copyFileSync(path.join(fixtures, 'behaviours.mjs'), reloadable);

    // Act and assess: the watcher recycles the pool shortly after the write
    await expect
      .poll(async () => (await invoke('reloadable', { action: 'echo' })).json().context?.functionName, {
        timeout: 5_000,
        interval: 100,
      })
      .toBe('reloadable');
  });

  it('runs invocations past the process cap one after another in the same environment, and refuses past the concurrency', async () => {
    // Act: five invocations against a concurrency of three and one process
    const runs = path.join(scratch, 'burst.log');
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((tag) => invoke('one-process', { action: 'record', file: runs, tag, ms: 200 })),
    );

    // Assess: three ran, in one process, and two were refused without running
    const ran = answers.filter((a) => a.status === 200);
    expect([ran.length, answers.filter((a) => a.status === 429).length]).toEqual([3, 2]);
    expect(new Set(ran.map((a) => a.json().pid as number)).size).toBe(1);
    expect(readFileSync(runs, 'utf8').trim().split('\n').sort()).toEqual(ran.map((a) => String(a.json().tag)).sort());
    expect(service.pool('one-process')?.pids).toHaveLength(1);
  });

  it('drops an invocation waiting for an environment when its caller disconnects: it never runs', async () => {
    // Prepare: one invocation holds the only environment, two wait behind it
    const runs = path.join(scratch, 'abandoned.log');
    const first = invoke('one-process', { action: 'record', file: runs, tag: 'first', ms: 600 });
    await expect.poll(() => service.pool('one-process')?.size.busy).toBe(1);
    const caller = new AbortController();
    const abandoned = invoke('one-process', { action: 'record', file: runs, tag: 'abandoned' }, {}, '', caller.signal);
    const patient = invoke('one-process', { action: 'record', file: runs, tag: 'patient' });
    await expect.poll(() => service.pool('one-process')?.size.waiting).toBe(2);

    // Act: the second caller gives up (as the edge does at its deadline)
    caller.abort();
    await expect(abandoned).rejects.toThrow();

    // Assess: the first and the patient one ran; the abandoned one never did
    expect((await first).status).toBe(200);
    expect((await patient).json().tag).toBe('patient');
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toEqual(['first', 'patient']);
    expect(service.pool('one-process')?.size).toEqual({ idle: 1, busy: 0, waiting: 0 });
  });

  it('answers a timeout, without running it, to an invocation whose wait outlasts the function timeout', async () => {
    // Prepare: the environment is warm, so the waits below are the handlers' alone
    const runs = path.join(scratch, 'waited.log');
    expect((await invoke('one-process', { action: 'echo' })).status).toBe(200);

    // Act: 1 s then 3.5 s hold the environment; the third would start at 4.5 s, past its 4 s timeout
    const answers = await Promise.all([
      invoke('one-process', { action: 'record', file: runs, tag: 'first', ms: 1_000 }),
      invoke('one-process', { action: 'record', file: runs, tag: 'second', ms: 3_500 }),
      invoke('one-process', { action: 'record', file: runs, tag: 'third' }),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[2]?.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(answers[2]?.json().errorType).toBe('Sandbox.Timedout');
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toEqual(['first', 'second']);
  }, 15_000);
});
