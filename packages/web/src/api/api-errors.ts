/**
 * What can go wrong when the app calls the API, as classes the UI branches on with `instanceof`.
 * Each carries what a person needs to act on it (status, the problem body, how long to wait) and,
 * when the server gave one, the request id that finds the matching log line.
 */
import type { Problem } from '@gatehouse/contract';

export abstract class ApiError extends Error {
  constructor(
    message: string,
    readonly requestId?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The API answered with an error status: a problem body from the edge, or the gateway's `{"message"}`. */
export class HttpError extends ApiError {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    /** The edge's RFC 9457 body; absent when the gateway (or something before it) answered. */
    readonly problem: Problem | undefined,
    /** The gateway's `message`, or the start of an unrecognised body. */
    readonly bodyMessage: string | undefined,
    /** From `Retry-After`, for 429 and 503. */
    readonly retryAfterSeconds: number | undefined,
    requestId: string | undefined,
  ) {
    super(`API answered ${status}${problem ? ` ${problem.code}` : ''}`, requestId ?? problem?.requestId);
  }
}

/** No usable token even after one forced refresh; the client has signed the user out. */
export class SessionEndedError extends ApiError {
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
 * unreachable host the same way, so `kind` comes from a follow-up probe (see inference-client).
 */
export class NetworkError extends ApiError {
  override readonly name = 'NetworkError';
  constructor(
    readonly kind: 'offline' | 'unreachable' | 'cors',
    readonly apiUrl: string,
    readonly pageOrigin: string | undefined,
  ) {
    super(`Request to ${apiUrl} failed (${kind})`);
  }
}

export class TimeoutError extends ApiError {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`);
  }
}

/** The caller gave up (the component unmounted); nothing to show. */
export class AbortedError extends ApiError {
  override readonly name = 'AbortedError';
  constructor() {
    super('Request aborted');
  }
}

/** Status 200 with a body that is not the answer the contract describes. */
export class UnexpectedAnswerError extends ApiError {
  override readonly name = 'UnexpectedAnswerError';
}

/** The sign-in service could not renew the session for a passing reason (network, throttling); still signed in. */
export class IdentityUnavailableError extends ApiError {
  override readonly name = 'IdentityUnavailableError';
}
