/**
 * What the edge sends the core, and how the core signals a failure the caller should see.
 *
 * The core knows nothing of HTTP: it receives this payload through the Lambda Invoke API and either
 * returns any JSON value (→ 200) or throws. A thrown error whose `name` (Lambda's `errorType`) is
 * in CORE_ERROR_TYPES becomes that 4xx with the core's message; every other failure is a 502 whose
 * body says nothing of the core's internals.
 */
import type { ProblemCode } from './problem';

export interface CoreIdentity {
  /** The user's stable id (`sub` claim). */
  sub: string;
  email: string | null;
  /** `cognito:username`, else `username`, else `sub`. */
  username: string;
  /** `cognito:groups`, parsed from the gateway's `"[a b]"` string form. */
  groups: string[];
}

export interface RequestMeta {
  /** The gateway's request id; doubles as an idempotency key for the core. */
  requestId: string;
  /** From `requestContext.http.sourceIp`, never from a header a client can forge. */
  sourceIp: string;
  userAgent: string | null;
  /** ISO 8601 time the gateway received the request. */
  receivedAt: string;
  /** The route that matched, as API Gateway writes it (`POST /inference`). */
  routeKey: string;
}

/**
 * The enriched payload (a route's `payload: 'enriched'`, the default). With `payload: 'input'` the
 * core receives `input` alone and nothing of the caller.
 */
export interface CorePayload<Input = unknown> {
  /** The validated body (POST, PUT, PATCH), or the query string parameters (GET, DELETE). */
  input: Input;
  /** The route's path parameters (`{id}` in `GET /items/{id}`); empty when it has none. */
  pathParameters: Record<string, string>;
  identity: CoreIdentity;
  requestMeta: RequestMeta;
}

/**
 * The core's error contract: `errorType` (the thrown error's `name`) → the problem the edge
 * answers with. The core's `errorMessage` becomes the problem's `detail`, so these errors must carry
 * messages fit for the caller. Any other `errorType` is treated as a failure (502, generic detail).
 */
export const CORE_ERROR_TYPES = {
  ValidationError: 'core_invalid_input',
  BadRequestError: 'core_invalid_input',
  ForbiddenError: 'core_forbidden',
  NotFoundError: 'core_not_found',
  ConflictError: 'core_conflict',
  UnprocessableError: 'core_unprocessable',
  TooManyRequestsError: 'core_rate_limited',
} as const satisfies Record<string, ProblemCode>;

export type CoreErrorType = keyof typeof CORE_ERROR_TYPES;

/** The core's `errorMessage` is cut to this length before it reaches a caller. */
export const CORE_MESSAGE_MAX_LENGTH = 500;
