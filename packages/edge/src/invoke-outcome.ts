/**
 * The closed set of results of asking the core for an answer. The handler maps each one to an
 * HTTP answer in outcomes.ts; anything that is not one of these is a bug in the edge.
 */
import type { InvokeError } from './invoke-errors';

export type InvokeOutcome =
  /** The core returned; `value` is its JSON answer. */
  | { kind: 'success'; value: unknown }
  /** The core returned something that is not JSON. */
  | { kind: 'bad-response'; reason: string }
  /** The core threw (`X-Amz-Function-Error`), or Lambda ended it (timeout, out of memory, too large an answer). */
  | { kind: 'function-error'; errorType: string; errorMessage: string; handled: boolean }
  /** The Invoke call itself failed, or the deadline passed. */
  | { kind: 'invoke-error'; error: InvokeError };
