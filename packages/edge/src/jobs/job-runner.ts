/**
 * The job runner: the Lambda the edge invokes asynchronously (`InvocationType: Event`) with
 * `{ jobId }`. It takes the job `queued → running` with a conditional write — a second delivery of
 * the same event finds it taken and stops — invokes the core synchronously with the payload the
 * edge stored, within the job's timeout, and records the result or the problem, mapped by the very
 * table the edge answers with (outcomes.ts), so a job fails with the code a normal route would
 * have answered.
 *
 * It is generic: the job's item names its core and timeout, so one runner serves every job route
 * of an API. Its Lambda timeout is the longest job's plus a margin to record the outcome.
 */
import {
  EDGE_METRICS,
  JOB_LIMITS,
  JOB_METRICS,
  makeProblem,
  type Problem,
  readJobRunnerEnvironment,
} from '@gatehouse/contract';
import type { Context } from 'aws-lambda';
import { loadAwsEnvironment } from '../aws-environment';
import type { Environment } from '../config';
import { type FunctionTarget, parseFunctionTarget } from '../function-target';
import { invokeCore } from '../invoke-core';
import { LambdaInvokeClient } from '../lambda-invoke-client';
import { errorFields, type LogFields, Logger } from '../logger';
import { answerFor } from '../outcomes';
import { DynamoDbClient } from './dynamodb-client';
import { type JobEnd, JobStore, type StoredJob } from './job-store';

export type JobRunnerContext = Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>;
export type JobRunnerHandler = (event: unknown, context: JobRunnerContext) => Promise<void>;

export interface JobRunnerDependencies {
  store: JobStore;
  client: Pick<LambdaInvokeClient, 'invoke'>;
  targets: ReadonlyMap<string, FunctionTarget>;
  logger: Logger;
  service: string;
}

const RESULT_TOO_LARGE_DETAIL =
  `The job's result is over ${JOB_LIMITS.maxResultBytes} bytes, more than a job can keep. ` +
  'The service should store large results elsewhere (e.g. S3) and return a reference.';
const MISCONFIGURED_DETAIL = 'The API is not set up to run this job.';

/** Builds the runner from its environment (the Lambda entry). */
export function createJobRunner(env: Environment = process.env): JobRunnerHandler {
  const settings = readJobRunnerEnvironment(env);
  return createJobRunnerHandler({
    store: new JobStore(new DynamoDbClient(loadAwsEnvironment(env, 'dynamodb')), settings.table),
    client: new LambdaInvokeClient(loadAwsEnvironment(env, 'lambda')),
    targets: new Map(Object.entries(settings.coreTargets).map(([core, target]) => [core, parseFunctionTarget(target)])),
    logger: new Logger('info', settings.service),
    service: settings.service,
  });
}

export function createJobRunnerHandler(deps: JobRunnerDependencies): JobRunnerHandler {
  return async (event, context) => {
    const jobId = (event as { jobId?: unknown } | null)?.jobId;
    if (typeof jobId !== 'string' || jobId === '') {
      deps.logger.error(context.awsRequestId, 'job event without a jobId', { event: describe(event) });
      return;
    }
    const job = await deps.store.start(jobId);
    if (!job) {
      // Lambda may deliver an event twice; the conditional write made this one a no-op.
      deps.logger.warn(context.awsRequestId, 'job not queued: already taken, finished or expired', { jobId });
      return;
    }
    const end = await run(deps, job, context);
    const recorded = await deps.store.finish(job, end);
    const outcome = end.status === 'succeeded' ? 'success' : end.problem.code;
    deps.logger[end.status === 'succeeded' ? 'info' : 'error'](job.requestId, 'job', {
      jobId,
      route: job.route,
      status: end.status,
      outcome,
      waitMs: (job.startedAt ?? job.submittedAt) - job.submittedAt,
      runMs: Date.now() - (job.startedAt ?? job.submittedAt),
      ...(recorded ? {} : { notRecorded: 'the job was no longer running (marked interrupted meanwhile)' }),
      ...jobMetrics(deps.service, end, job),
    });
  };
}

async function run(deps: JobRunnerDependencies, job: StoredJob, context: JobRunnerContext): Promise<JobEnd> {
  const failed = (code: Problem['code'], detail: string): JobEnd => ({
    status: 'failed',
    problem: makeProblem(code, detail, job.requestId),
  });
  const target = deps.targets.get(job.core);
  if (!target || job.payload === undefined) {
    deps.logger.error(job.requestId, 'job cannot run', { jobId: job.jobId, core: job.core, missingTarget: !target });
    return failed('misconfigured', MISCONFIGURED_DETAIL);
  }
  let answer: ReturnType<typeof answerFor>;
  const log: LogFields = {};
  try {
    const report = await invokeCore(job.payload, {
      client: deps.client,
      target,
      coreTimeoutMs: job.timeoutSeconds * 1000,
      remainingTimeMs: context.getRemainingTimeInMillis(),
    });
    if (report.outcome.kind === 'function-error') {
      Object.assign(log, { errorType: report.outcome.errorType, errorMessage: report.outcome.errorMessage });
    } else if (report.outcome.kind === 'invoke-error') {
      Object.assign(log, errorFields(report.outcome.error));
    }
    answer = answerFor(report.outcome);
  } catch (error) {
    deps.logger.error(job.requestId, 'job failed in the runner', { jobId: job.jobId, ...errorFields(error) });
    return failed('internal', 'The job failed before the service answered.');
  }
  if (Object.keys(log).length > 0) deps.logger.warn(job.requestId, 'core failed', { jobId: job.jobId, ...log });
  if (answer.kind === 'problem') return failed(answer.code, answer.detail);
  const result = JSON.stringify(answer.value) ?? 'null';
  if (Buffer.byteLength(result) > JOB_LIMITS.maxResultBytes) {
    return failed('result_too_large', RESULT_TOO_LARGE_DETAIL);
  }
  return { status: 'succeeded', result };
}

/**
 * EMF: `Jobs` by `Service` and `Outcome`; by `Service`, `JobFailures` (1 when the job failed for a
 * reason that is the operators' to fix, a 5xx problem — a core's typed refusal is not) and
 * `JobQueueTime`, how long the job waited to start.
 */
function jobMetrics(service: string, end: JobEnd, job: StoredJob): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: EDGE_METRICS.namespace,
          Dimensions: [['Service', 'Outcome']],
          Metrics: [{ Name: JOB_METRICS.jobs, Unit: 'Count' }],
        },
        {
          Namespace: EDGE_METRICS.namespace,
          Dimensions: [['Service']],
          Metrics: [
            { Name: JOB_METRICS.failures, Unit: 'Count' },
            { Name: JOB_METRICS.queueTime, Unit: 'Milliseconds' },
          ],
        },
      ],
    },
    Service: service,
    Outcome: end.status === 'succeeded' ? 'success' : end.problem.code,
    [JOB_METRICS.jobs]: 1,
    [JOB_METRICS.failures]: end.status === 'failed' && end.problem.status >= 500 ? 1 : 0,
    [JOB_METRICS.queueTime]: (job.startedAt ?? job.submittedAt) - job.submittedAt,
  };
}

function describe(event: unknown): string {
  const text = JSON.stringify(event) ?? String(event);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
