/**
 * One finding of `gatehouse doctor`: what was checked, whether it passed, what was seen, and — when
 * it did not pass — what to change, in words a user can act on without reading the code.
 */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  /** Stable id, for tests and scripts (`preflight`, `anonymous-call`, `route`, `token`, `call`). */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was observed, one short sentence. */
  summary: string;
  /** Facts worth printing under the summary (claims, headers). */
  details?: string[];
  /** What to change; present whenever the status is not `pass`. */
  fix?: string;
}

export function anyFailed(results: readonly CheckResult[]): boolean {
  return results.some((r) => r.status === 'fail');
}
