/**
 * The one error body every gatehouse component answers with: RFC 9457 problem details
 * (`application/problem+json`) plus a stable machine `code` and the `requestId` that ties the
 * answer to the log line carrying the internals.
 *
 * The catalogue below is the whole public error surface of the edge. A client switches on `code`;
 * `title` and `status` never change for a code; `detail` is a human sentence and may.
 */

/** One failing field, as carried in a problem body's `errors`. */
export interface FieldError {
  /** Dotted path to the field (`year`, `meta.period`); empty for the body as a whole. */
  path: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEMS = {
  // The caller
  unauthorized: { status: 401, title: 'Sign-in required' },
  wrong_token_use: { status: 401, title: 'Wrong kind of token' },
  forbidden: { status: 403, title: 'Not allowed' },
  origin_not_allowed: { status: 403, title: 'Origin not allowed' },
  // The request
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  body_missing: { status: 400, title: 'Request body required' },
  invalid_body_encoding: { status: 400, title: 'Request body is not valid base64' },
  invalid_json: { status: 400, title: 'Request body is not valid JSON' },
  unsupported_media_type: { status: 415, title: 'Request body must be JSON' },
  payload_too_large: { status: 413, title: 'Request body too large' },
  validation_failed: { status: 422, title: 'Request body failed validation' },
  invalid_idempotency_key: { status: 400, title: 'Idempotency-Key header is invalid' },
  idempotency_key_reused: { status: 422, title: 'Idempotency key used for another request' },
  job_not_found: { status: 404, title: 'No such job' },
  // The core said no (errorType in CORE_ERROR_TYPES)
  core_invalid_input: { status: 400, title: 'The request was rejected' },
  core_forbidden: { status: 403, title: 'Not allowed' },
  core_not_found: { status: 404, title: 'Not found' },
  core_conflict: { status: 409, title: 'Conflict' },
  core_unprocessable: { status: 422, title: 'The request cannot be processed' },
  core_rate_limited: { status: 429, title: 'Too many requests' },
  // The core failed
  core_failed: { status: 502, title: 'The service failed to answer' },
  core_bad_response: { status: 502, title: 'The service gave an invalid answer' },
  core_response_too_large: { status: 502, title: 'The service answer was too large' },
  core_throttled: { status: 503, title: 'The service is busy' },
  core_timeout: { status: 504, title: 'The service took too long' },
  // A job failed without the core saying why
  result_too_large: { status: 502, title: 'The result is too large to keep' },
  interrupted: { status: 503, title: 'The job was interrupted' },
  // The deployment
  misconfigured: { status: 500, title: 'The API is misconfigured' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface Problem {
  /** `urn:gatehouse:problem:<code>` — a URI, as RFC 9457 asks, that never dereferences to anything. */
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  requestId: string;
  /** Present for `validation_failed`: one entry per failing field. */
  errors?: FieldError[];
}

export function problemType(code: ProblemCode): string {
  return `urn:gatehouse:problem:${code}`;
}

/**
 * @example
 * makeProblem('payload_too_large', 'The body is 300000 bytes; the limit is 262144.', 'req-1')
 */
export function makeProblem(code: ProblemCode, detail: string, requestId: string, errors?: FieldError[]): Problem {
  const { status, title } = PROBLEMS[code];
  const problem: Problem = { type: problemType(code), title, status, detail, code, requestId };
  if (errors && errors.length > 0) problem.errors = errors;
  return problem;
}

/** True when a parsed response body has the problem shape (for clients and tests). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' && v.code in PROBLEMS && typeof v.status === 'number' && typeof v.requestId === 'string'
  );
}
