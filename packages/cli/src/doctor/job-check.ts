/**
 * For a job route: after the real call's `202`, read the job at its `Location` as its owner would
 * (`GET /jobs/{jobId}` with the same credential) until it has finished or the wait is over, and say
 * what that shows — the runner ran the core and recorded its answer, the job failed with a problem
 * (the same codes as a normal route), or the owner could not read their own job.
 */
import { isFinished, type JobView, PROBLEMS } from '@gatehouse/contract';
import { logAdvice } from './advice';
import type { CheckResult } from './check-result';
import type { DoctorTarget } from './doctor-target';
import { problemOf } from './http-probe';
import { type Credential, postRoute } from './route-request';

/** Long enough for a quick core to run as a job; a long job is reported as readable and unfinished. */
export const JOB_WAIT_MS = 60_000;
const POLL_MS = 1_000;

export interface JobCheckOptions {
  jobUrl: string;
  credential: Credential;
  target: DoctorTarget;
  timeoutMs: number;
  waitMs: number;
}

export async function jobCheck(options: JobCheckOptions): Promise<CheckResult> {
  const base = { id: 'job', title: 'Job: its owner polls GET /jobs/{jobId}' };
  const endsAt = Date.now() + options.waitMs;
  let view: JobView | undefined;
  for (let attempt = 0; attempt < Math.ceil(options.waitMs / POLL_MS) + 1; attempt++) {
    const read = await postRoute({
      url: options.jobUrl,
      method: 'GET',
      body: '',
      credential: options.credential,
      timeoutMs: options.timeoutMs,
    });
    if (read.kind === 'network-error') {
      return {
        ...base,
        status: 'fail',
        summary: `no answer reading the job: ${read.message}`,
        fix: logAdvice(options.target, 'edge'),
      };
    }
    if (read.status !== 200) {
      const problem = problemOf(read);
      return {
        ...base,
        status: 'fail',
        summary: `${read.status}${problem ? ` ${problem.code}` : ''}: the job's owner could not read the job it was just given`,
        fix:
          read.status === 404
            ? 'the edge reads jobs by the caller’s identity: check the jobs table (JOBS_TABLE) is the one the edge wrote to, and the edge log for this request'
            : logAdvice(options.target, 'edge'),
      };
    }
    view = read.json as JobView;
    if (isFinished(view.status) || Date.now() + POLL_MS > endsAt) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const details = view
    ? [`job ${view.jobId}: ${view.status}`, ...(view.startedAt ? [`started ${view.startedAt}`] : [])]
    : [];
  if (view?.status === 'succeeded') {
    return { ...base, status: 'pass', summary: 'succeeded: the runner ran the core and recorded its answer', details };
  }
  if (view?.status === 'failed') {
    const code = view.problem?.code ?? 'unknown';
    const status = view.problem?.status ?? 0;
    const theirs = status > 0 && status < 500 && code in PROBLEMS;
    return {
      ...base,
      status: theirs ? 'warn' : 'fail',
      summary: `failed with ${status} ${code}: ${view.problem?.detail ?? 'no detail'}`,
      details,
      fix: theirs
        ? 'the job chain works; the core refused this body (pass --body with a request it accepts)'
        : `the runner recorded a failure: ${logAdvice(options.target, 'core')}`,
    };
  }
  return {
    ...base,
    status: 'warn',
    summary: `readable by its owner and still ${view?.status ?? 'unknown'} after ${Math.round(options.waitMs / 1000)} s`,
    details,
    fix: 'a long job is expected to run on; read it again later, or check the runner log if it never starts (the JobsQueuedTooLong alarm)',
  };
}
