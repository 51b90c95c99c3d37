/**
 * A submitted job, as `client.submit` returns it: `status()` reads it once, `result()` polls until
 * it has finished and resolves with the core's answer or throws the problem it failed with — the
 * same `ProblemError` a normal route's failure throws, so one error display serves both.
 *
 * Polling backs off (1 s, ×1.5, at most 10 s between reads) and never reads sooner than the API's
 * `Retry-After`; a job that has not finished after `maxWaitMs` (longer than Lambda's 15 minutes by
 * default) ends the wait with a `TimeoutError`, as a runner that died would otherwise leave it
 * polling forever.
 */
import { isFinished, type JobView } from '@gatehouse/contract';
import { AbortedError, ProblemError, TimeoutError } from './client-errors';

export interface JobHandle<Result = unknown> {
  readonly jobId: string;
  /** The job's URL (`GET /jobs/{jobId}`). */
  readonly url: string;
  /** Reads the job once. */
  status(options?: { signal?: AbortSignal }): Promise<JobView<Result>>;
  /**
   * Polls until the job has finished.
   * @throws ProblemError when the job failed (`problem.code`: `core_timeout`, `result_too_large`, …)
   */
  result(options?: JobWaitOptions<Result>): Promise<Result>;
}

export interface JobWaitOptions<Result> {
  signal?: AbortSignal;
  /** Called with every read of the job (queued, running, then the finished job). */
  onUpdate?: (view: JobView<Result>) => void;
  /** @default 20 minutes */
  maxWaitMs?: number;
}

/** What the handle needs of the client: one authorised read of the job, and its `Retry-After`. */
export type ReadJob<Result> = (
  signal: AbortSignal | undefined,
) => Promise<{ view: JobView<Result>; retryAfterSeconds: number | undefined }>;

export const JOB_POLLING = { firstDelayMs: 1_000, factor: 1.5, maxDelayMs: 10_000, maxWaitMs: 20 * 60_000 } as const;

export function createJobHandle<Result>(
  jobId: string,
  url: string,
  read: ReadJob<Result>,
  now: () => number = () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
): JobHandle<Result> {
  return {
    jobId,
    url,
    async status(options = {}) {
      return (await read(options.signal)).view;
    },
    async result(options = {}) {
      const maxWaitMs = options.maxWaitMs ?? JOB_POLLING.maxWaitMs;
      const endsAt = now() + maxWaitMs;
      let delay: number = JOB_POLLING.firstDelayMs;
      for (;;) {
        const { view, retryAfterSeconds } = await read(options.signal);
        options.onUpdate?.(view);
        if (isFinished(view.status)) {
          if (view.status === 'succeeded') return view.result as Result;
          if (view.problem) throw new ProblemError(view.problem, undefined, view.problem.requestId);
          throw new Error(`job ${jobId} failed without a problem`);
        }
        const wait = Math.max(delay, (retryAfterSeconds ?? 0) * 1000);
        if (now() + wait > endsAt) throw new TimeoutError(maxWaitMs);
        await sleep(wait, options.signal);
        delay = Math.min(JOB_POLLING.maxDelayMs, delay * JOB_POLLING.factor);
      }
    },
  };
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
