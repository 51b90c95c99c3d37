/**
 * Job routes in the edge and the job runner, against a real DynamoDB API (in-memory dynalite) and a
 * stubbed Lambda: what the edge answers to submits and polls, and what the runner records for each
 * way a core can end — including a second delivery of the same event, which must not run the core.
 */
import { type JobView, matchRoutePath, resolveProjectConfig } from '@gatehouse/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createEdgeHandler } from '../src/edge';
import { parseFunctionTarget } from '../src/function-target';
import { InvokeThrottledError, InvokeTimeoutError } from '../src/invoke-errors';
import { JobRoutes } from '../src/jobs/job-routes';
import { createJobRunnerHandler } from '../src/jobs/job-runner';
import { Logger } from '../src/logger';
import { allowMethodsOf, httpApiEvent, idTokenClaims, lambdaContext, memoryLogger, testConfig } from './helpers';
import { type JobsTable, jsonAnswer, startJobsTable, stubLambda } from './jobs-helpers';

const ROUTES = resolveProjectConfig({
  routes: {
    'POST /reports': { core: 'reports', schema: z.object({ topic: z.string() }), job: { timeoutSeconds: 120 } },
    'POST /quick': { core: 'reports', schema: z.object({ topic: z.string() }) },
    'POST /brief': { core: 'reports', schema: z.object({ topic: z.string() }), job: { timeoutSeconds: 1 } },
  },
  cores: { reports: { runtime: 'python3.12', code: './core', handler: 'handler.handler', timeoutSeconds: 120 } },
}).routes;
const CORE_TARGETS = 'reports=gatehouse-reports';
const RUNNER = parseFunctionTarget('gatehouse-job-runner', 'JOB_RUNNER');
const silent = new Logger('silent', 'test');

let table: JobsTable;
beforeAll(async () => {
  table = await startJobsTable();
});
afterAll(async () => table?.close());

function edgeWith(runnerAnswer: Parameters<typeof stubLambda>[0] = async () => jsonAnswer(null)) {
  const lambda = stubLambda(runnerAnswer);
  const handler = createEdgeHandler({
    config: testConfig({ CORE_TARGETS }),
    routes: ROUTES,
    allowMethods: allowMethodsOf(ROUTES),
    matchPath: matchRoutePath,
    client: lambda,
    logger: silent,
    service: 'test-edge',
    jobs: new JobRoutes(table.store, lambda, RUNNER),
  });
  return { handler, lambda };
}

function submitEvent(body: unknown, headers: Record<string, string> = {}, sub?: string) {
  return httpApiEvent({
    routeKey: 'POST /reports',
    body: JSON.stringify(body),
    headers,
    ...(sub ? { claims: idTokenClaims({ sub }) } : {}),
  });
}

function pollEvent(jobId: string, sub?: string) {
  return httpApiEvent({
    routeKey: 'GET /jobs/{jobId}',
    rawPath: `/prod/jobs/${jobId}`,
    pathParameters: { jobId },
    body: undefined,
    ...(sub ? { claims: idTokenClaims({ sub }) } : {}),
  });
}

describe('submitting a job', () => {
  it('stores the job, invokes the runner with the job id only (Event), and answers 202', async () => {
    const { handler, lambda } = edgeWith();
    const result = await handler(submitEvent({ topic: 'tides' }), lambdaContext());
    expect(result.statusCode).toBe(202);
    const body = JSON.parse(result.body ?? '') as { jobId: string; status: string };
    expect(body.status).toBe('queued');
    expect(result.headers.location).toBe(`/prod/jobs/${body.jobId}`);
    expect(result.headers['retry-after']).toBe('1');
    expect(lambda.calls).toEqual([
      { target: RUNNER, payload: JSON.stringify({ jobId: body.jobId }), invocationType: 'Event' },
    ]);
    const stored = await table.store.get(body.jobId);
    expect(stored?.status).toBe('queued');
    expect(JSON.parse(stored?.payload ?? '')).toMatchObject({ input: { topic: 'tides' }, requestMeta: {} });
  });

  it('refuses an invalid body with 422 and stores nothing', async () => {
    const { handler, lambda } = edgeWith();
    const result = await handler(submitEvent({ topic: 7 }), lambdaContext());
    expect(result.statusCode).toBe(422);
    expect(lambda.calls).toHaveLength(0);
  });

  it('answers a repeated Idempotency-Key with the same job and starts it once', async () => {
    const { handler, lambda } = edgeWith();
    const headers = { 'idempotency-key': 'c0ffee-1' };
    const first = JSON.parse((await handler(submitEvent({ topic: 'a' }, headers), lambdaContext())).body ?? '');
    const again = await handler(submitEvent({ topic: 'a' }, headers), lambdaContext());
    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body ?? '').jobId).toBe(first.jobId);
    expect(lambda.calls).toHaveLength(1);
  });

  it('keeps one caller’s key apart from another’s', async () => {
    const { handler } = edgeWith();
    const headers = { 'idempotency-key': 'shared-key' };
    const mine = JSON.parse((await handler(submitEvent({ topic: 'a' }, headers, 'me'), lambdaContext())).body ?? '');
    const theirs = JSON.parse((await handler(submitEvent({ topic: 'a' }, headers, 'you'), lambdaContext())).body ?? '');
    expect(theirs.jobId).not.toBe(mine.jobId);
  });

  it('refuses a key reused for another request (422) and a malformed key (400)', async () => {
    const { handler } = edgeWith();
    await handler(submitEvent({ topic: 'a' }, { 'idempotency-key': 'k-2' }), lambdaContext());
    const reused = await handler(submitEvent({ topic: 'b' }, { 'idempotency-key': 'k-2' }), lambdaContext());
    expect(reused.statusCode).toBe(422);
    expect(JSON.parse(reused.body ?? '').code).toBe('idempotency_key_reused');
    const malformed = await handler(submitEvent({ topic: 'a' }, { 'idempotency-key': 'with space' }), lambdaContext());
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body ?? '').code).toBe('invalid_idempotency_key');
  });

  it('fails the job and answers 503 + Retry-After when Lambda throttles the runner', async () => {
    const { handler } = edgeWith(async () => {
      throw new InvokeThrottledError('Rate Exceeded.', 'TooManyRequestsException', 429, 3);
    });
    const result = await handler(submitEvent({ topic: 'busy' }, { 'idempotency-key': 'busy-1' }), lambdaContext());
    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('3');
    const poll = await edgeWith().handler(
      submitEvent({ topic: 'busy' }, { 'idempotency-key': 'busy-1' }),
      lambdaContext(),
    );
    expect(JSON.parse(poll.body ?? '').status).toBe('failed');
  });

  it('runs a normal route of the same edge synchronously', async () => {
    const { handler, lambda } = edgeWith(async () => jsonAnswer({ now: true }));
    const result = await handler(
      httpApiEvent({ routeKey: 'POST /quick', body: JSON.stringify({ topic: 'x' }) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(200);
    expect(lambda.calls[0]?.invocationType).toBe('RequestResponse');
  });
});

describe('reading a job', () => {
  it('answers the owner with the job and Retry-After while it is unfinished', async () => {
    const { handler } = edgeWith();
    const { jobId } = JSON.parse((await handler(submitEvent({ topic: 'r' }), lambdaContext())).body ?? '');
    const result = await handler(pollEvent(jobId), lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(result.headers['retry-after']).toBe('1');
    expect(JSON.parse(result.body ?? '')).toEqual({
      jobId,
      route: 'POST /reports',
      status: 'queued',
      submittedAt: expect.any(String),
    });
  });

  it('answers anyone else, and an id of no job, 404 job_not_found', async () => {
    const { handler } = edgeWith();
    const { jobId } = JSON.parse((await handler(submitEvent({ topic: 'r' }, {}, 'owner'), lambdaContext())).body ?? '');
    for (const event of [
      pollEvent(jobId, 'intruder'),
      pollEvent('f'.repeat(32), 'owner'),
      pollEvent('../x', 'owner'),
    ]) {
      const result = await handler(event, lambdaContext());
      expect(result.statusCode).toBe(404);
      expect(JSON.parse(result.body ?? '').code).toBe('job_not_found');
    }
  });

  it('is not served by an edge without job routes', async () => {
    const handler = createEdgeHandler({
      config: testConfig({ CORE_TARGETS }),
      routes: ROUTES.filter((route) => !route.job),
      allowMethods: allowMethodsOf(ROUTES.filter((route) => !route.job)),
      matchPath: matchRoutePath,
      client: stubLambda(async () => jsonAnswer(null)),
      logger: silent,
      service: 'test-edge',
    });
    const result = await handler(pollEvent('f'.repeat(32)), lambdaContext());
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body ?? '').code).toBe('route_not_found');
  });
});

describe('the job runner', () => {
  let jobId: string;
  beforeEach(async () => {
    const { handler } = edgeWith();
    jobId = JSON.parse((await handler(submitEvent({ topic: 'run' }), lambdaContext())).body ?? '').jobId;
  });

  function runnerWith(core: Parameters<typeof stubLambda>[0]) {
    const lambda = stubLambda(core);
    const logger = memoryLogger();
    const run = createJobRunnerHandler({
      store: table.store,
      client: lambda,
      targets: new Map([['reports', parseFunctionTarget('gatehouse-reports')]]),
      logger: logger.logger,
      service: 'test-jobs',
    });
    return { run, lambda, lines: logger.lines };
  }

  async function view(): Promise<JobView> {
    const result = await edgeWith().handler(pollEvent(jobId), lambdaContext());
    return JSON.parse(result.body ?? '') as JobView;
  }

  it('runs the core with the stored payload and records its result', async () => {
    const { run, lambda, lines } = runnerWith(async () => jsonAnswer({ summary: 'high tide at 6' }));
    await run({ jobId }, lambdaContext(600_000));
    expect(lambda.calls[0]).toMatchObject({ invocationType: 'RequestResponse' });
    expect(JSON.parse(lambda.calls[0]?.payload ?? '')).toMatchObject({ input: { topic: 'run' } });
    const job = await view();
    expect(job).toMatchObject({ status: 'succeeded', result: { summary: 'high tide at 6' } });
    expect(job.startedAt && job.finishedAt).toBeTruthy();
    expect(lines.find((line) => line.message === 'job')).toMatchObject({
      jobId,
      Outcome: 'success',
      Jobs: 1,
      JobFailures: 0,
    });
  });

  it('runs the core once when the same event is delivered twice', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { run, lambda } = runnerWith(async () => {
      await held;
      return jsonAnswer({ once: true });
    });
    const first = run({ jobId }, lambdaContext(600_000));
    const second = run({ jobId }, lambdaContext(600_000));
    await second;
    release();
    await first;
    await run({ jobId }, lambdaContext(600_000));
    expect(lambda.calls).toHaveLength(1);
    expect((await view()).status).toBe('succeeded');
  });

  it('records a core error as the problem the edge maps it to', async () => {
    const { run } = runnerWith(async () =>
      jsonAnswer({ errorType: 'ConflictError', errorMessage: 'already filed' }, 'Unhandled'),
    );
    await run({ jobId }, lambdaContext(600_000));
    expect((await view()).problem).toMatchObject({ code: 'core_conflict', status: 409, detail: 'already filed' });
  });

  it('fails with core_timeout when the core outlives the job’s timeout', async () => {
    const brief = await edgeWith().handler(
      httpApiEvent({ routeKey: 'POST /brief', body: JSON.stringify({ topic: 'slow' }) }),
      lambdaContext(),
    );
    jobId = JSON.parse(brief.body ?? '').jobId;
    // As the real client does: the deadline's abort ends the call with InvokeTimeoutError.
    const { run, lines } = runnerWith(
      (_call, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener(
            'abort',
            () => reject(new InvokeTimeoutError('deadline passed', 'Timeout', undefined)),
            { once: true },
          );
        }),
    );
    // The runner has 10 minutes left: only the job's 1 s can end the call within the test's time.
    await run({ jobId }, lambdaContext(600_000));
    expect((await view()).problem).toMatchObject({ code: 'core_timeout', status: 504 });
    expect(lines.find((line) => line.message === 'job')).toMatchObject({ Outcome: 'core_timeout', JobFailures: 1 });
  });

  it('fails with result_too_large when the answer cannot be kept', async () => {
    const { run } = runnerWith(async () => jsonAnswer({ text: 'x'.repeat(400 * 1024) }));
    await run({ jobId }, lambdaContext(600_000));
    const job = await view();
    expect(job.problem).toMatchObject({ code: 'result_too_large' });
    expect(job.result).toBeUndefined();
  });

  it('fails with misconfigured when the job names a core it does not know', async () => {
    const lambda = stubLambda(async () => jsonAnswer({}));
    const run = createJobRunnerHandler({
      store: table.store,
      client: lambda,
      targets: new Map(),
      logger: silent,
      service: 'test-jobs',
    });
    await run({ jobId }, lambdaContext(600_000));
    expect((await view()).problem).toMatchObject({ code: 'misconfigured' });
    expect(lambda.calls).toHaveLength(0);
  });

  it('ignores an event without a job id', async () => {
    const { run, lambda, lines } = runnerWith(async () => jsonAnswer({}));
    await run({ nothing: true }, lambdaContext(600_000));
    expect(lambda.calls).toHaveLength(0);
    expect(lines[0]).toMatchObject({ level: 'error', message: 'job event without a jobId' });
  });
});
