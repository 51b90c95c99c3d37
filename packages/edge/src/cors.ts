/**
 * CORS as the edge answers it. On AWS the HTTP API's CORS configuration answers preflights and owns
 * these headers; the edge still answers correctly when reached another way (a Function URL, a
 * gateway without CORS), from the same `API_CORS` settings, so the two agree.
 *
 * `Access-Control-Allow-Origin` only ever echoes an allowed `Origin` — never `*`, never another
 * origin, never anything derived from `Referer` — and `Vary: Origin` is always sent so a cache never
 * serves one origin's answer to another.
 */
import { API_CORS, AUTH_MODE_REQUEST_HEADERS, type AuthMode } from '@gatehouse/contract';

export type HeaderMap = Record<string, string>;

/** Joined once per container: every answer to an allowed origin carries it. */
const EXPOSE_HEADERS = API_CORS.exposeHeaders.join(', ');

/** A CORS preflight: OPTIONS with both `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(method: string, headers: Readonly<Record<string, string | undefined>>): boolean {
  return method === 'OPTIONS' && !!headers.origin && !!headers['access-control-request-method'];
}

/**
 * Headers for a preflight from an allowed origin. `allowMethods` are the project's routes' methods
 * (`corsAllowMethods`), as the API's own CORS lists them; the auth mode adds the headers its
 * callers must send (`x-api-key`, SigV4's `x-amz-*`), exactly as the gateway and the construct do.
 */
export function preflightHeaders(origin: string, authMode: AuthMode, allowMethods: readonly string[]): HeaderMap {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': allowMethods.join(', '),
    'access-control-allow-headers': [...API_CORS.allowHeaders, ...AUTH_MODE_REQUEST_HEADERS[authMode]].join(', '),
    'access-control-max-age': String(API_CORS.maxAgeSeconds),
    vary: 'Origin',
  };
}

/** Headers for any other answer; the allow/expose pair only when the origin is allowed. */
export function responseCorsHeaders(origin: string | undefined, allowed: boolean): HeaderMap {
  if (!origin || !allowed) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSE_HEADERS,
    vary: 'Origin',
  };
}
