/**
 * Job routes: for cores that need longer than the 30 s an HTTP API waits. The edge validates the
 * request as for any route, stores a job and answers `202 Accepted` at once; a job runner invokes
 * the core and records its answer; the caller polls `GET /jobs/{jobId}` (one route per API, the
 * same authorizer) until the job has succeeded or failed.
 *
 * This module is the contract between the edge, the runner, the construct, the local stack and
 * the client: the job's view, its limits and defaults, and the environment that names the table and
 * the runner.
 */
import type { Problem, ProblemCode } from './problem';

/** A route's `job` setting, as its author writes it. */
export interface JobOptions {
  /** How long the core may take (Lambda's limit: 900). @default 300 */
  readonly timeoutSeconds?: number;
  /** How long a finished job can be read before it expires. @default 24 */
  readonly keepHours?: number;
  /** At most this many jobs of the route run at once; more wait in Lambda's queue. @default 10 */
  readonly maxConcurrent?: number;
}

export interface ResolvedJob {
  timeoutSeconds: number;
  keepHours: number;
  maxConcurrent: number;
}

export const JOB_DEFAULTS: ResolvedJob = { timeoutSeconds: 300, keepHours: 24, maxConcurrent: 10 };

// The byte limits are written as numbers, not `380 * 1024`: esbuild keeps an unused object holding
// arithmetic (it cannot prove it pure), so every edge bundle would carry these limits unused.
export const JOB_LIMITS = {
  /** Lambda's longest run. */
  maxTimeoutSeconds: 900,
  /** Thirty days: a finished job is an answer waiting to be read, not a store of results. */
  maxKeepHours: 720,
  maxConcurrent: 1000,
  /**
   * The largest result (its JSON, in bytes) a job keeps. A DynamoDB item holds at most 400 KB,
   * attribute names included; the rest of the job's item needs the difference.
   */
  maxResultBytes: 389_120, // 380 KiB
  /** The largest core payload a job keeps while it waits to run (same item, same limit). */
  maxPayloadBytes: 389_120,
} as const;

/** The route every API with job routes serves once, behind the same authorizer. */
export const JOBS_ROUTE = { method: 'GET', path: '/jobs/{jobId}', key: 'GET /jobs/{jobId}' } as const;

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** What `GET /jobs/{jobId}` answers (and, `queued`, what a submit's 202 carries in part). */
export interface JobView<Result = unknown> {
  jobId: string;
  /** The route that accepted it, as API Gateway writes the key. */
  route: string;
  status: JobStatus;
  /** ISO 8601. */
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** The core's answer (`succeeded`). */
  result?: Result;
  /** Why it failed (`failed`): the problem a normal route would have answered with. */
  problem?: Problem;
}

/** The body of a submit's `202 Accepted`. */
export interface JobAccepted {
  jobId: string;
  status: JobStatus;
}

/** A finished job is no longer polled. */
export function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

/** Problems only a job can end with (a normal route never answers them). */
export const JOB_PROBLEM_CODES = ['result_too_large', 'interrupted'] as const satisfies readonly ProblemCode[];

/** The job runner's `Service` metric dimension and log field, written by the construct and the local stack. */
export function jobsServiceName(projectName: string): string {
  return `${projectName}-jobs`;
}

/** The runner's metrics (namespace `Gatehouse`, dimension `Service`), which the construct's alarms watch. */
export const JOB_METRICS = { jobs: 'Jobs', failures: 'JobFailures', queueTime: 'JobQueueTime' } as const;

/** How often a client should poll a job not yet finished, in seconds (`Retry-After`). */
export const JOB_POLL_SECONDS = 1;
