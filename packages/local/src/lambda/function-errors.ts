/**
 * Function errors as the Lambda service itself reports them (not thrown by the handler): the
 * payload a caller gets with `X-Amz-Function-Error: Unhandled`. Shapes and wording follow what AWS
 * returns, because the edge maps them and must meet the same text locally as in production.
 */

export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** AWS Lambda's synchronous response limit (6 MB plus a little framing slack). */
export const MAX_RESPONSE_BYTES = 6_291_556;
/** AWS Lambda's synchronous request limit. */
export const MAX_REQUEST_BYTES = 6_291_456;
/** Lambda's limit on an asynchronous (`Event`) invocation's payload: 1 MB. */
export const MAX_EVENT_BYTES = 1_048_576;
/** AWS gives the init phase of an on-demand function 10 s. */
export const INIT_TIMEOUT_MS = 10_000;

export function timedOut(requestId: string, seconds: number): FunctionErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`,
  };
}

export function initTimedOut(requestId: string): FunctionErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Init phase timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
  };
}

export function responseTooLarge(): FunctionErrorPayload {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  };
}

/** Go's names for the signals, as AWS's messages print them (`signal: killed`). */
const SIGNAL_NAMES: Record<string, string> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
};

/** The runtime process died without answering (killed, or `process.exit`/`sys.exit` in the handler). */
export function exited(requestId: string, code: number | null, signal: string | null): FunctionErrorPayload {
  const how = signal
    ? `Runtime exited with error: signal: ${SIGNAL_NAMES[signal] ?? signal.toLowerCase()}`
    : code === 0
      ? 'Runtime exited without providing a reason'
      : `Runtime exited with error: exit status ${code}`;
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${how}` };
}

/** The environment went past the function's memory size and was killed, as Lambda reports it. */
export function outOfMemory(requestId: string): FunctionErrorPayload {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  };
}

/** The runtime could not be started at all; the message says what to install or fix. */
export function invalidEntrypoint(message: string): FunctionErrorPayload {
  return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: message };
}

/** The function's dependencies could not be installed, so its handler could not import them. */
export function dependenciesMissing(message: string): FunctionErrorPayload {
  return { errorType: 'Runtime.ImportModuleError', errorMessage: message };
}

/** Past the function's concurrency: Lambda refuses a synchronous invoke instead of queueing it. */
export class ThrottledError extends Error {
  override name = 'ThrottledError';
}

/**
 * The caller went away (its deadline passed, its connection closed) while the invocation waited
 * for an environment: it is dropped without running, so no core runs after its client had an answer.
 */
export class InvocationAbandonedError extends Error {
  override name = 'InvocationAbandonedError';
}
