/**
 * Builds the Lambda answer API Gateway turns into the HTTP response. Every answer carries
 * `x-request-id` (the gateway's request id, also in problem bodies and in the log line),
 * `Server-Timing` (the edge's own time and the core's, which the web app shows), `Vary: Origin`,
 * and `Cache-Control: no-store` — answers depend on who asked. Errors are RFC 9457 problem bodies
 * from the contract, nothing else.
 *
 * Lambda refuses a synchronous answer larger than 6,291,556 bytes once serialised, and API Gateway
 * then answers a bare 500 while the edge believes it succeeded. The edge measures its own answer
 * (`fitsLambdaResponse`) and answers `core_response_too_large` instead, so client and log agree.
 */
import { type FieldError, makeProblem, PROBLEM_CONTENT_TYPE, PROBLEMS, type ProblemCode } from '@gatehouse/contract';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HeaderMap } from './cors';

/** Lambda's synchronous response limit, in bytes of the serialised handler result. */
export const LAMBDA_RESPONSE_MAX_BYTES = 6_291_556;
/** Room for the status and headers around the body when the body alone is measured. */
const ENVELOPE_BYTES = 16 * 1024;
/** JSON escaping writes one UTF-16 unit as at most 6 bytes (`\u001f`). */
const MAX_BYTES_PER_CHAR = 6;

export type EdgeResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: HeaderMap };

export interface Timings {
  /** Time spent in the edge itself, the core's time excluded. */
  edgeMs: number;
  /** Time spent waiting for the core; undefined when it was not called. */
  coreMs: number | undefined;
}

export function serverTiming(t: Timings): string {
  const edge = `edge;dur=${t.edgeMs.toFixed(1)}`;
  return t.coreMs === undefined ? edge : `${edge}, core;dur=${t.coreMs.toFixed(1)}`;
}

function baseHeaders(requestId: string, timings: Timings, extra: HeaderMap): HeaderMap {
  return { ...extra, 'x-request-id': requestId, 'server-timing': serverTiming(timings), 'cache-control': 'no-store' };
}

export function jsonResult(
  value: unknown,
  requestId: string,
  timings: Timings,
  headers: HeaderMap,
  statusCode = 200,
): EdgeResult {
  return {
    statusCode,
    headers: { ...baseHeaders(requestId, timings, headers), 'content-type': 'application/json' },
    body: JSON.stringify(value) ?? 'null',
  };
}

export function emptyResult(statusCode: number, requestId: string, timings: Timings, headers: HeaderMap): EdgeResult {
  return { statusCode, headers: baseHeaders(requestId, timings, headers), body: '' };
}

export function problemResult(
  problem: { code: ProblemCode; detail: string; errors?: FieldError[] | undefined },
  requestId: string,
  timings: Timings,
  headers: HeaderMap,
): EdgeResult {
  return {
    statusCode: PROBLEMS[problem.code].status,
    headers: { ...baseHeaders(requestId, timings, headers), 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(makeProblem(problem.code, problem.detail, requestId, problem.errors)),
  };
}

/**
 * True when the result, serialised as the Lambda runtime serialises it, fits the response limit.
 * Most answers are far below the limit even at the worst escaping, so only those that might not
 * fit pay for a second serialisation.
 */
export function fitsLambdaResponse(result: EdgeResult, maxBytes: number = LAMBDA_RESPONSE_MAX_BYTES): boolean {
  const bodyLength = result.body?.length ?? 0;
  if (bodyLength * MAX_BYTES_PER_CHAR + ENVELOPE_BYTES <= maxBytes) return true;
  return Buffer.byteLength(JSON.stringify(result)) <= maxBytes;
}
