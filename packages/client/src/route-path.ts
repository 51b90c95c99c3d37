/**
 * Builds a request URL from an API Gateway route key (`GET /items/{id}`, `ANY /files/{proxy+}`):
 * each parameter is encoded as one path segment, a greedy one segment by segment, so a value can
 * never change which route the request reaches.
 */
import { parseRouteKey, type RouteMethod } from '@gatehouse/contract';

export type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | undefined;

export interface RouteRequestTarget {
  /** The HTTP method to send; `ANY` routes are sent as POST unless the caller says otherwise. */
  method: Exclude<RouteMethod, 'ANY'>;
  /** Path below the stage, encoded, with the query string. */
  path: string;
}

export class RoutePathError extends Error {
  override readonly name = 'RoutePathError';
}

/**
 * @example
 * routeTarget('GET /items/{id}', { id: 'a/b' }, { page: 2 })
 * // → { method: 'GET', path: '/items/a%2Fb?page=2' }
 */
export function routeTarget(
  key: string,
  pathParameters: Readonly<Record<string, string | number>> = {},
  query: Readonly<Record<string, QueryValue>> = {},
  anyMethod: Exclude<RouteMethod, 'ANY'> = 'POST',
): RouteRequestTarget {
  const parsed = parseRouteKey(key);
  if (!parsed.ok) throw new RoutePathError(`"${key}" is not a route key: ${parsed.reason}`);
  const { route } = parsed;
  const missing = route.parameters.filter((name) => pathParameters[name] === undefined);
  if (missing.length > 0) {
    throw new RoutePathError(`route "${key}" needs path parameter(s) ${missing.map((n) => `{${n}}`).join(', ')}`);
  }
  const path = route.path.replace(/\{([^}+]+)(\+?)\}/g, (_match, name: string, greedy: string) => {
    const value = String(pathParameters[name]);
    if (value === '') throw new RoutePathError(`path parameter {${name}} of "${key}" is empty`);
    return greedy ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
  const method = route.method === 'ANY' ? anyMethod : route.method;
  return { method, path: `${path}${queryString(query)}` };
}

function queryString(query: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
