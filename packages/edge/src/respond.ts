/**
 * Builds the Lambda answer API Gateway turns into the HTTP response. Every answer carries
 * `x-request-id` (the gateway's request id, also in problem bodies and in the log line),
 * `Server-Timing` (the edge's own time and the core's, which the web app shows), `Vary: Origin`,
 * and `Cache-Control: no-store` — answers depend on who asked. Errors are RFC 9457 problem bodies
 * from the contract, nothing else.
 */
import { type FieldError, makeProblem, PROBLEM_CONTENT_TYPE, PROBLEMS, type ProblemCode } from '@gatehouse/contract';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HeaderMap } from './cors';

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

export function jsonResult(value: unknown, requestId: string, timings: Timings, headers: HeaderMap): EdgeResult {
  return {
    statusCode: 200,
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
