/**
 * The invariants every answer of the local stack must keep, whatever was sent — checked by the
 * token, CORS and fuzz suites and the fuzz bench alike:
 * - there is an answer, with exactly one `apigw-requestid`;
 * - `access-control-allow-origin` is never `*` and never an origin other than the request's own
 *   allowed one;
 * - an error body is either a problem carrying that request id or the gateway's own
 *   `{"message":…}` for that status, and never leaks internals (stack frames, file paths, the
 *   core's `errorType`);
 * - a 5xx has a cause in the log: the edge's error line under the same request id.
 */
import { GATEWAY_MESSAGES } from '@gatehouse/local';
import type { AttackStack } from './attack-stack';
import type { RawResponse } from './raw-http';

/** What must never appear in an answer body: stack frames, file paths, runtime internals. */
const LEAKS: [string, RegExp][] = [
  ['stack frame', /\bat [\w$.<>[\] ]+ \(?[^\s()]+:\d+:\d+\)?/],
  ['file path', /(?:\/(?:work|home|tmp|var|opt|usr)\/|node_modules|[A-Za-z]:\\)[^\s"]*/],
  ['source file', /\.(?:ts|mjs|cjs|js|py):\d+/],
  ['errorType', /"errorType"/],
  ['errorMessage', /"errorMessage"/],
  ['stack field', /"stack"\s*:/],
  ['trace field', /"trace"\s*:/],
  ['runtime error name', /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|ECONNREFUSED|ECONNRESET)\b/],
];

export interface AnswerContext {
  method: string;
  /** The `Origin` the request carried, as the server would read it (undefined when none). */
  origin?: string;
}

export function answerViolations(stack: AttackStack, request: AnswerContext, response: RawResponse): string[] {
  const problems: string[] = [];
  if (response.status === 0) return ['no answer: the connection closed without a status line'];
  const ids = response.headers['apigw-requestid'] ?? [];
  if (ids.length !== 1 || !ids[0]) problems.push(`apigw-requestid: ${JSON.stringify(ids)}`);
  const requestId = ids[0] ?? '';
  problems.push(...corsViolations(stack, request.origin, response));
  for (const [what, pattern] of LEAKS) {
    const found = pattern.exec(response.body);
    if (found) problems.push(`leaks a ${what}: ${JSON.stringify(found[0].slice(0, 80))}`);
  }
  if (response.status >= 400 && request.method !== 'HEAD') {
    problems.push(...errorBodyViolations(response, requestId));
  }
  if (response.status >= 500) problems.push(...causeViolations(stack, response, requestId));
  return problems;
}

export function corsViolations(stack: AttackStack, origin: string | undefined, response: RawResponse): string[] {
  const allowed = response.headers['access-control-allow-origin'] ?? [];
  if (allowed.length === 0) return [];
  if (allowed.includes('*')) return ['access-control-allow-origin: *'];
  if (allowed.length > 1) return [`access-control-allow-origin repeated: ${JSON.stringify(allowed)}`];
  const value = allowed[0] as string;
  if (value !== origin || !stack.stack.config.allowedOrigins.includes(value)) {
    return [`foreign origin reflected: ${JSON.stringify(value)} for Origin ${JSON.stringify(origin)}`];
  }
  return [];
}

function errorBodyViolations(response: RawResponse, requestId: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return [`error body is not JSON: ${JSON.stringify(response.body.slice(0, 120))}`];
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const contentType = response.headers['content-type']?.[0] ?? '';
  if (typeof fields.code === 'string') {
    const wrong: string[] = [];
    if (fields.requestId !== requestId) wrong.push(`problem requestId ${String(fields.requestId)} ≠ ${requestId}`);
    if (fields.status !== response.status) wrong.push(`problem status ${String(fields.status)} ≠ ${response.status}`);
    if (contentType !== 'application/problem+json') wrong.push(`problem served as ${contentType}`);
    return wrong;
  }
  const message = GATEWAY_MESSAGES[response.status as keyof typeof GATEWAY_MESSAGES];
  if (message !== undefined && Object.keys(fields).length === 1 && fields.message === message) return [];
  return [`error body is neither a problem nor the gateway's: ${response.body.slice(0, 160)}`];
}

function causeViolations(stack: AttackStack, response: RawResponse, requestId: string): string[] {
  const logged = stack.edgeLog(requestId).some((line) => line.level === 'error' && line.outcome !== undefined);
  return logged ? [] : [`${response.status} without a logged cause: ${response.body.slice(0, 120)}`];
}
