/**
 * CORS as an HTTP API with a CORS configuration does it: the gateway alone owns the CORS headers.
 * It answers preflights itself (no route, authorizer or Lambda involved), adds its headers to every
 * other response — its own 401/403/404/413/500/503 included — and drops whatever CORS headers the
 * integration returned. Nothing is added when the request carries no `Origin`, and
 * `access-control-allow-origin` only when that origin is on the list.
 */
import { type CorsDescription, isOriginAllowed, type OriginRule } from '@gatehouse/contract';
import type { GatewayResponse } from './gateway-responses';

/**
 * AWS does not document whether HTTP API CORS responses carry `Vary: Origin`. The answer depends on
 * the Origin, so a shared cache must key on it: we send it whenever CORS headers are computed.
 */
export const SEND_VARY_ORIGIN = true;

/** Undocumented status for the preflight answer; 204 (no body) is what the design settles on. */
export const PREFLIGHT_STATUS = 204;

export function isPreflight(method: string, headers: Record<string, string>): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

export function preflightResponse(
  cors: CorsDescription,
  rules: readonly OriginRule[],
  origin: string,
): GatewayResponse {
  const headers: Record<string, string> = {
    'access-control-allow-methods': cors.allowMethods.join(','),
    'access-control-allow-headers': cors.allowHeaders.join(','),
    'access-control-max-age': String(cors.maxAgeSeconds),
  };
  if (isOriginAllowed(rules, origin)) headers['access-control-allow-origin'] = origin;
  if (SEND_VARY_ORIGIN) headers.vary = 'origin';
  return { status: PREFLIGHT_STATUS, headers, body: Buffer.alloc(0) };
}

/** Replaces the integration's CORS headers with the gateway's, for a request with an `Origin`. */
export function applyCors(
  response: GatewayResponse,
  cors: CorsDescription,
  rules: readonly OriginRule[],
  origin: string | undefined,
): GatewayResponse {
  const headers: GatewayResponse['headers'] = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (!name.startsWith('access-control-')) headers[name] = value;
  }
  if (origin === undefined) return { ...response, headers };
  if (isOriginAllowed(rules, origin)) headers['access-control-allow-origin'] = origin;
  if (cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  if (SEND_VARY_ORIGIN) headers.vary = withVaryOrigin(headers.vary);
  return { ...response, headers };
}

function withVaryOrigin(existing: string | string[] | undefined): string {
  const values = (Array.isArray(existing) ? existing.join(',') : (existing ?? ''))
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (!values.some((v) => v.toLowerCase() === 'origin' || v === '*')) values.push('origin');
  return values.join(', ');
}
