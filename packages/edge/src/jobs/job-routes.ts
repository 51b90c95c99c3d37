/**
 * The edge's side of job routes: a submit stores the job and invokes the runner asynchronously
 * with the job id only (the input stays in the table: an `Event` invoke carries at most 1 MB), then
 * answers `202 Accepted` with the job's URL; `GET /jobs/{jobId}` answers the job to its owner and
 * 404 to anyone else, so a job id tells a stranger nothing, not even that the job exists.
 *
 * With an `Idempotency-Key` the job id is derived from the owner, the route and the key, so a
 * repeated submit finds the same job (PutItem's condition), whichever edge container it reaches.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  isFinished,
  JOB_LIMITS,
  JOB_POLL_SECONDS,
  JOBS_ROUTE,
  type JobAccepted,
  makeProblem,
  matchRoutePath,
  type ResolvedJob,
} from '@gatehouse/contract';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { text } from '../event-values';
import type { FunctionTarget } from '../function-target';
import { InvokeError } from '../invoke-errors';
import type { LambdaInvokeClient } from '../lambda-invoke-client';
import { answerFor } from '../outcomes';
import { Rejection } from '../rejection';
import { type JobStore, jobView, type StoredJob } from './job-store';

/** What the edge answers for a job request, before its common headers are added. */
export interface JobAnswer {
  status: 200 | 202;
  value: unknown;
  headers: Record<string, string>;
}

export interface JobSubmission {
  route: { key: string; core: string; job: ResolvedJob };
  /** The core payload, serialised: exactly what a normal route would send. */
  payload: string;
  /** What makes two submits the same request: the validated input and path parameters. */
  request: unknown;
  owner: string;
  idempotencyKey: string | undefined;
  requestId: string;
  /** The job's URL path, e.g. `/prod/jobs/<id>`, given the id. */
  jobPath: (jobId: string) => string;
}

/** Printable ASCII, as the IETF Idempotency-Key draft and Stripe accept; long enough for a UUID and more. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const JOB_ID = /^[0-9a-f]{32}$/;
/** The Event invoke is accepted or refused quickly; waiting longer would only delay the caller's 202. */
const RUNNER_INVOKE_TIMEOUT_MS = 5_000;

export class JobRoutes {
  /** The one route that reads jobs (`GET /jobs/{jobId}`), for the edge's log line. */
  readonly routeKey = JOBS_ROUTE.key;

  constructor(
    private readonly store: JobStore,
    private readonly client: Pick<LambdaInvokeClient, 'invoke'>,
    private readonly runner: FunctionTarget,
  ) {}

  /**
   * The edge's submit: its request for a job route (validated, enriched, its caller identified)
   * becomes a submission, the `Idempotency-Key` header and the job's URL below the stage with it.
   */
  submitRequest(
    route: JobSubmission['route'],
    payload: string,
    request: unknown,
    owner: string,
    event: Pick<APIGatewayProxyEventV2, 'headers' | 'requestContext'>,
    requestId: string,
  ): Promise<JobAnswer> {
    const stage = text(event.requestContext?.stage);
    const base = stage && stage !== '$default' ? `/${stage}` : '';
    return this.submit({
      route,
      payload,
      request,
      owner,
      idempotencyKey: text(event.headers?.['idempotency-key']),
      requestId,
      jobPath: (id) => `${base}/jobs/${id}`,
    });
  }

  async submit(submission: JobSubmission, now = Date.now()): Promise<JobAnswer> {
    const key = submission.idempotencyKey;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new Rejection(
        'invalid_idempotency_key',
        'The Idempotency-Key header must be 1 to 255 printable ASCII characters, e.g. a UUID.',
      );
    }
    if (Buffer.byteLength(submission.payload) > JOB_LIMITS.maxPayloadBytes) {
      throw new Rejection(
        'payload_too_large',
        `A job's input may be at most ${JOB_LIMITS.maxPayloadBytes} bytes once enriched; send a reference (an S3 key) to larger data instead.`,
      );
    }
    const jobId = key === undefined ? randomBytes(16).toString('hex') : keyedJobId(submission, key);
    const requestHash = sha256(JSON.stringify([submission.route.key, submission.request]));
    const created = await this.store.create({
      jobId,
      owner: submission.owner,
      route: submission.route.key,
      core: submission.route.core,
      payload: submission.payload,
      requestHash,
      requestId: submission.requestId,
      timeoutSeconds: submission.route.job.timeoutSeconds,
      keepHours: submission.route.job.keepHours,
      submittedAt: now,
    });
    if (!created) return this.resubmitted(jobId, requestHash, submission.jobPath(jobId));
    const problem = await this.startRunner(jobId, submission.requestId);
    if (problem) {
      await this.store.finish({ jobId, keepHours: submission.route.job.keepHours }, problem, 'queued');
      throw new Rejection(problem.problem.code, problem.problem.detail, undefined, problem.headers);
    }
    return accepted({ jobId, status: 'queued' }, submission.jobPath(jobId));
  }

  /** The job id when the request is for `GET /jobs/{jobId}` ('' for an empty one), else undefined. */
  readRequest(
    event: Pick<APIGatewayProxyEventV2, 'routeKey' | 'rawPath' | 'pathParameters' | 'requestContext'>,
    method: string,
  ): string | undefined {
    if (method !== JOBS_ROUTE.method) return undefined;
    if (event.routeKey === JOBS_ROUTE.key) return event.pathParameters?.jobId ?? '';
    const stage = event.requestContext?.stage;
    const raw = event.rawPath || '/';
    const path = stage && stage !== '$default' && raw.startsWith(`/${stage}/`) ? raw.slice(stage.length + 1) : raw;
    return matchRoutePath(JOBS_ROUTE.path, path)?.jobId;
  }

  async read(jobId: string | undefined, owner: string): Promise<JobAnswer> {
    const job = jobId !== undefined && JOB_ID.test(jobId) ? await this.store.get(jobId) : undefined;
    // Someone else's job is answered exactly as a job that never existed.
    if (!job || job.owner !== owner) throw notFound();
    const headers: Record<string, string> = isFinished(job.status) ? {} : { 'retry-after': String(JOB_POLL_SECONDS) };
    return { status: 200, value: jobView(job), headers };
  }

  private async resubmitted(jobId: string, requestHash: string, location: string): Promise<JobAnswer> {
    const job: StoredJob | undefined = await this.store.get(jobId);
    // Created and expired between the two calls: as rare as it is harmless to ask for a retry.
    if (!job)
      throw new Rejection('core_throttled', 'The job is being replaced. Retry after 1 second.', undefined, {
        'retry-after': '1',
      });
    if (job.requestHash !== requestHash) {
      throw new Rejection(
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request. Use a new key for a new request.',
      );
    }
    return accepted({ jobId, status: job.status }, location);
  }

  /** Invokes the runner with the job id; a refusal is the problem the job (and the caller) gets. */
  private async startRunner(
    jobId: string,
    requestId: string,
  ): Promise<
    { problem: ReturnType<typeof makeProblem>; headers?: Record<string, string>; status: 'failed' } | undefined
  > {
    try {
      await this.client.invoke(
        this.runner,
        JSON.stringify({ jobId }),
        AbortSignal.timeout(RUNNER_INVOKE_TIMEOUT_MS),
        'Event',
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof InvokeError)) throw error;
      const answer = answerFor({ kind: 'invoke-error', error });
      if (answer.kind !== 'problem') return undefined;
      return {
        status: 'failed',
        problem: makeProblem(answer.code, answer.detail, requestId),
        ...(answer.headers ? { headers: answer.headers } : {}),
      };
    }
  }
}

function accepted(body: JobAccepted, location: string): JobAnswer {
  const headers: Record<string, string> = { location };
  if (!isFinished(body.status)) headers['retry-after'] = String(JOB_POLL_SECONDS);
  return { status: 202, value: body, headers };
}

function keyedJobId(submission: JobSubmission, key: string): string {
  return sha256(`${submission.owner}\u0000${submission.route.key}\u0000${key}`).slice(0, 32);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function notFound(): Rejection {
  return new Rejection('job_not_found', 'No job with this id exists for you. Jobs expire some hours after they end.');
}
