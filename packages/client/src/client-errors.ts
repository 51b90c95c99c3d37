/**
 * What can go wrong when a browser calls a gatehouse route, as classes a UI branches on with
 * `instanceof`. Each carries what a person needs to act on it (status, the problem's code and field
 * errors, how long to wait) and, when the server gave one, the request id that finds the log line.
 */
import type { FieldError, Problem, ProblemCode } from '@gatehouse/contract';

export abstract class GatehouseClientError extends Error {
  constructor(
    message: string,
    readonly requestId?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The API answered with an error status the edge did not describe (the gateway's `{"message"}`, a proxy's page). */
export class HttpError extends GatehouseClientError {
  override readonly name: string = 'HttpError';
  constructor(
    readonly status: number,
    /** The parsed body (JSON), or its text when it was not JSON; undefined when empty. */
    readonly body: unknown,
    /** The gateway's `message`, or the start of an unrecognised body. */
    readonly bodyMessage: string | undefined,
    /** From `Retry-After`, for 429 and 503. */
    readonly retryAfterSeconds: number | undefined,
    requestId: string | undefined,
    /** Durations from the edge's `Server-Timing`, when it answered. */
    readonly serverTiming: Readonly<Record<string, number>> = {},
  ) {
    super(`API answered ${status}`, requestId);
  }
}

/** The edge answered with an RFC 9457 problem body: `code` is stable, `errors` lists failing fields. */
export class ProblemError extends HttpError {
  override readonly name: string = 'ProblemError';
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors: readonly FieldError[];
  constructor(
    readonly problem: Problem,
    retryAfterSeconds: number | undefined,
    requestId: string | undefined,
    serverTiming: Readonly<Record<string, number>> = {},
  ) {
    super(problem.status, problem, undefined, retryAfterSeconds, requestId ?? problem.requestId, serverTiming);
    this.message = `API answered ${problem.status} ${problem.code}`;
    this.code = problem.code;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
  }
}

/** No usable token even after one forced refresh; the client has ended the session. */
export class SessionEndedError extends GatehouseClientError {
  override readonly name = 'SessionEndedError';
  constructor(
    readonly reason: 'no-session' | 'token-rejected',
    requestId?: string,
  ) {
    super(
      reason === 'no-session' ? 'No session to take a token from' : 'The API rejected a freshly refreshed token',
      requestId,
    );
  }
}

/**
 * The request never got an answer the page may read. Browsers report a CORS refusal and an
 * unreachable host the same way, so `kind` comes from a follow-up probe (see gatehouse-client).
 */
export class NetworkError extends GatehouseClientError {
  override readonly name = 'NetworkError';
  constructor(
    readonly kind: 'offline' | 'unreachable' | 'cors',
    readonly apiUrl: string,
    readonly pageOrigin: string | undefined,
    options?: ErrorOptions,
  ) {
    super(`Request to ${apiUrl} failed (${kind})`, undefined, options);
  }
}

export class TimeoutError extends GatehouseClientError {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`);
  }
}

/** The caller gave up (the component unmounted); nothing to show. */
export class AbortedError extends GatehouseClientError {
  override readonly name = 'AbortedError';
  constructor() {
    super('Request aborted');
  }
}

/** A 2xx whose body the caller's `accept` check refused. */
export class UnexpectedAnswerError extends GatehouseClientError {
  override readonly name = 'UnexpectedAnswerError';
}

/** The sign-in service could not renew the session for a passing reason (network, throttling); still signed in. */
export class IdentityUnavailableError extends GatehouseClientError {
  override readonly name = 'IdentityUnavailableError';
}
