/**
 * Calls the core once, within a deadline, and says what happened as an InvokeOutcome.
 *
 * The deadline is the shorter of `CORE_TIMEOUT_MS` and the edge's own remaining time less a margin
 * to answer in, enforced by an AbortSignal that destroys the request: the edge answers 504 itself
 * instead of being killed by Lambda, which API Gateway would turn into a bare 500.
 * Only throttling is retried — Lambda refused before running the core, so a retry cannot run it
 * twice — and only while the deadline leaves room for the wait.
 */
import type { FunctionTarget } from './function-target';
import { InvokeError, InvokeThrottledError, InvokeTimeoutError } from './invoke-errors';
import type { InvokeOutcome } from './invoke-outcome';
import type { InvokeResult, LambdaInvokeClient } from './lambda-invoke-client';

/** Time kept back from the Lambda's remaining time to log and answer after giving up on the core. */
export const DEADLINE_MARGIN_MS = 300;
/** At most this many attempts in all, however generous the deadline. */
export const MAX_ATTEMPTS = 3;
const BASE_BACKOFF_MS = 50;

export interface InvokeCoreOptions {
  client: Pick<LambdaInvokeClient, 'invoke'>;
  target: FunctionTarget;
  coreTimeoutMs: number;
  /** `context.getRemainingTimeInMillis()`. */
  remainingTimeMs: number;
}

export interface InvokeReport {
  outcome: InvokeOutcome;
  attempts: number;
  /** What the deadline was (ms) when the first attempt started. */
  deadlineMs: number;
}

export function deadlineFor(coreTimeoutMs: number, remainingTimeMs: number): number {
  return Math.max(0, Math.min(coreTimeoutMs, remainingTimeMs - DEADLINE_MARGIN_MS));
}

export async function invokeCore(payload: string, options: InvokeCoreOptions): Promise<InvokeReport> {
  const deadlineMs = deadlineFor(options.coreTimeoutMs, options.remainingTimeMs);
  // A controller and a timer cleared on return, not `AbortSignal.timeout`: that one costs twice as
  // much per request and leaves its timer pending until the deadline long after the answer.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), Math.max(1, deadlineMs));
  try {
    return await attemptWithin(payload, options, deadline.signal, deadlineMs);
  } finally {
    clearTimeout(timer);
  }
}

async function attemptWithin(
  payload: string,
  options: InvokeCoreOptions,
  signal: AbortSignal,
  deadlineMs: number,
): Promise<InvokeReport> {
  const endsAt = Date.now() + deadlineMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      if (deadlineMs === 0) throw new InvokeTimeoutError('no time was left to call the core', 'Timeout', undefined);
      const result = await options.client.invoke(options.target, payload, signal);
      return { outcome: outcomeOf(result), attempts, deadlineMs };
    } catch (error) {
      if (!(error instanceof InvokeError)) throw error;
      const wait = error instanceof InvokeThrottledError ? backoff(attempts) : undefined;
      if (wait === undefined || attempts >= MAX_ATTEMPTS || Date.now() + wait >= endsAt) {
        return { outcome: { kind: 'invoke-error', error }, attempts, deadlineMs };
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Full jitter, as AWS recommends: a throttled fleet should not come back in step. */
function backoff(attempt: number): number {
  return Math.round(Math.random() * BASE_BACKOFF_MS * 2 ** (attempt - 1));
}

function outcomeOf(result: InvokeResult): InvokeOutcome {
  const text = result.payload.toString('utf8');
  if (result.functionError) {
    const error = parseFunctionError(text);
    return { kind: 'function-error', ...error, handled: result.functionError === 'Handled' };
  }
  try {
    return { kind: 'success', value: JSON.parse(text) };
  } catch {
    return { kind: 'bad-response', reason: `the core's answer is not JSON (${result.payload.length} bytes)` };
  }
}

/** Lambda's function error payload: `{ errorType, errorMessage, trace }`; anything else is an unknown error. */
function parseFunctionError(text: string): { errorType: string; errorMessage: string } {
  try {
    const value = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    return {
      errorType: typeof value.errorType === 'string' ? value.errorType : 'Unknown',
      errorMessage: typeof value.errorMessage === 'string' ? value.errorMessage : '',
    };
  } catch {
    return { errorType: 'Unknown', errorMessage: text.slice(0, 500) };
  }
}
