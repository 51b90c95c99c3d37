/**
 * A request the edge refuses before the core runs. The checks (claims, body) throw it; the handler
 * turns it into a problem answer. Its `detail` goes to the caller, so it says what was wrong and how
 * to fix it, and never holds internals.
 */
import type { FieldError, ProblemCode } from '@gatehouse/contract';

export class Rejection extends Error {
  override name = 'Rejection';

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(`${code}: ${detail}`);
  }
}
