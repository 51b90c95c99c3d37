/**
 * Turns a Lambda's answer into the HTTP response, as payload format 2.0 does: an object with
 * `statusCode` is taken field by field (`headers`, `body`, `isBase64Encoded`, `cookies` → one
 * `set-cookie` each); any other valid JSON is a 200 `application/json` whose body is the answer (a
 * string as-is, anything else serialised). Anything that does not fit is a malformed answer: 500.
 */
import { type GatewayResponse, gatewayError } from './gateway-responses';

export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}

export function mapLambdaAnswer(payload: string): GatewayResponse {
  try {
    return interpret(payload);
  } catch (error) {
    if (error instanceof MalformedAnswerError) return gatewayError(500);
    throw error;
  }
}

function interpret(payload: string): GatewayResponse {
  let answer: unknown;
  try {
    answer = JSON.parse(payload);
  } catch {
    throw new MalformedAnswerError('the answer is not JSON');
  }
  if (typeof answer === 'object' && answer !== null && !Array.isArray(answer) && 'statusCode' in answer) {
    return structured(answer as Record<string, unknown>);
  }
  const body = typeof answer === 'string' ? answer : JSON.stringify(answer);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
}

function structured(answer: Record<string, unknown>): GatewayResponse {
  const status = answer.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedAnswerError('statusCode must be an HTTP status');
  }
  const headers: GatewayResponse['headers'] = {};
  if (answer.headers !== undefined && answer.headers !== null) {
    if (typeof answer.headers !== 'object' || Array.isArray(answer.headers)) {
      throw new MalformedAnswerError('headers must be an object');
    }
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        throw new MalformedAnswerError(`header ${name} must be a string`);
      }
      headers[name.toLowerCase()] = String(value);
    }
  }
  if (answer.cookies !== undefined && answer.cookies !== null) {
    if (!Array.isArray(answer.cookies) || !answer.cookies.every((c) => typeof c === 'string')) {
      throw new MalformedAnswerError('cookies must be an array of strings');
    }
    const existing = headers['set-cookie'];
    headers['set-cookie'] = [...(existing === undefined ? [] : [existing].flat()), ...answer.cookies];
  }
  const isBase64 = answer.isBase64Encoded ?? false;
  if (typeof isBase64 !== 'boolean') throw new MalformedAnswerError('isBase64Encoded must be a boolean');
  const rawBody = answer.body ?? '';
  if (typeof rawBody !== 'string') throw new MalformedAnswerError('body must be a string');
  const body = Buffer.from(rawBody, isBase64 ? 'base64' : 'utf8');
  return { status, headers, body };
}
