/**
 * Maps each InvokeOutcome to what the caller is told. The table (also in docs/EDGE.md):
 *
 * | outcome                                            | status | code                     |
 * |----------------------------------------------------|--------|--------------------------|
 * | success, JSON answer                               | 200    | (the core's JSON)        |
 * | success, not JSON                                  | 502    | core_bad_response        |
 * | function error, errorType in CORE_ERROR_TYPES      | 4xx    | that code, core's message |
 * | function error `Function.ResponseSizeTooLarge`     | 502    | core_response_too_large  |
 * | any other function error (incl. `Task timed out`)  | 502    | core_failed              |
 * | not found, access denied, bad function setup       | 500    | misconfigured            |
 * | throttled / function not ready                     | 503    | core_throttled + Retry-After (1–120 s) |
 * | deadline passed                                    | 504    | core_timeout             |
 * | request too large for Invoke                       | 413    | payload_too_large        |
 * | answer too large to read                           | 502    | core_response_too_large  |
 * | Lambda service error, network error, unknown       | 502    | core_failed              |
 *
 * Details never repeat what the Invoke API or the core's stack said; the log does.
 */
import { CORE_ERROR_TYPES, CORE_MESSAGE_MAX_LENGTH, type ProblemCode } from '@gatehouse/contract';
import {
  FunctionConfigurationError,
  FunctionNotFoundError,
  FunctionNotReadyError,
  InvokeAccessError,
  type InvokeError,
  InvokeRequestTooLargeError,
  InvokeResponseTooLargeError,
  InvokeThrottledError,
  InvokeTimeoutError,
} from './invoke-errors';
import type { InvokeOutcome } from './invoke-outcome';

export type Answer =
  | { kind: 'json'; value: unknown }
  | { kind: 'problem'; code: ProblemCode; detail: string; headers?: Record<string, string> };

const DETAILS = {
  core_bad_response: 'The service answered with something that is not JSON.',
  core_failed: 'The service failed while handling this request.',
  core_response_too_large: 'The service produced an answer too large to return.',
  misconfigured: 'The API cannot reach the service it fronts. Its operators can find the cause in the log.',
  core_timeout: 'The service did not answer in time. Try again; if it keeps happening, ask the operators.',
  payload_too_large: 'The request is too large for the service to accept.',
} as const;

/** Lambda's errorType when a function's answer exceeds the synchronous limit. */
const RESPONSE_TOO_LARGE_TYPE = 'Function.ResponseSizeTooLarge';
const DEFAULT_RETRY_AFTER_SECONDS = 1;
/**
 * The longest wait the edge passes on. A `Retry-After` comes from whatever answered the Invoke call
 * (a remote endpoint, a proxy); a client told to wait days would stop calling an API that recovers
 * in seconds, so a larger value is capped rather than relayed.
 */
export const MAX_RETRY_AFTER_SECONDS = 120;

export function answerFor(outcome: InvokeOutcome): Answer {
  switch (outcome.kind) {
    case 'success':
      return { kind: 'json', value: outcome.value };
    case 'bad-response':
      return problem('core_bad_response');
    case 'function-error':
      return functionErrorAnswer(outcome.errorType, outcome.errorMessage);
    case 'invoke-error':
      return invokeErrorAnswer(outcome.error);
  }
}

function functionErrorAnswer(errorType: string, errorMessage: string): Answer {
  if (Object.hasOwn(CORE_ERROR_TYPES, errorType)) {
    const code = CORE_ERROR_TYPES[errorType as keyof typeof CORE_ERROR_TYPES];
    const detail = errorMessage.trim().slice(0, CORE_MESSAGE_MAX_LENGTH) || 'The service refused this request.';
    return { kind: 'problem', code, detail };
  }
  if (errorType === RESPONSE_TOO_LARGE_TYPE) return problem('core_response_too_large');
  return problem('core_failed');
}

function invokeErrorAnswer(error: InvokeError): Answer {
  if (error instanceof InvokeThrottledError || error instanceof FunctionNotReadyError) {
    const seconds =
      error instanceof InvokeThrottledError && error.retryAfterSeconds !== undefined
        ? Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(error.retryAfterSeconds)))
        : DEFAULT_RETRY_AFTER_SECONDS;
    return {
      kind: 'problem',
      code: 'core_throttled',
      detail: `The service is busy. Retry after ${seconds} second${seconds === 1 ? '' : 's'}.`,
      headers: { 'retry-after': String(seconds) },
    };
  }
  if (
    error instanceof FunctionNotFoundError ||
    error instanceof InvokeAccessError ||
    error instanceof FunctionConfigurationError
  ) {
    return problem('misconfigured');
  }
  if (error instanceof InvokeTimeoutError) return problem('core_timeout');
  if (error instanceof InvokeRequestTooLargeError) return problem('payload_too_large');
  if (error instanceof InvokeResponseTooLargeError) return problem('core_response_too_large');
  return problem('core_failed');
}

function problem(code: keyof typeof DETAILS): Answer {
  return { kind: 'problem', code, detail: DETAILS[code] };
}
