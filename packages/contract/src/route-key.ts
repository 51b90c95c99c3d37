/**
 * API Gateway HTTP API route keys (`POST /items/{id}`, `ANY /files/{proxy+}`), parsed and checked
 * with the rules API Gateway applies when a route is created — so a path the service would refuse
 * fails when the config loads, not in the middle of a deploy.
 */

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'ANY'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** Methods whose request carries the JSON body the route's schema validates. */
export const BODY_METHODS: readonly RouteMethod[] = ['POST', 'PUT', 'PATCH'];

export interface ParsedRouteKey {
  method: RouteMethod;
  /** `/items/{id}`, as written. */
  path: string;
  /** `id` for `/items/{id}`; `proxy` for `/{proxy+}`. */
  parameters: string[];
  /** The path ends in a greedy `{name+}` segment. */
  greedy: boolean;
}

const LITERAL_SEGMENT = /^[A-Za-z0-9._~!$&'()*,;=:@-]+$/;
const PARAMETER_SEGMENT = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/** Parses a route key, or says in one sentence why API Gateway would refuse it. */
export function parseRouteKey(key: string): { ok: true; route: ParsedRouteKey } | { ok: false; reason: string } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(key);
  if (!match) return { ok: false, reason: 'must be "<METHOD> /<path>", e.g. "POST /inference"' };
  const [, method = '', path = ''] = match;
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) {
    const hint = method === 'OPTIONS' ? ' (the API answers CORS preflights itself)' : '';
    return { ok: false, reason: `method must be one of ${ROUTE_METHODS.join(', ')}${hint}` };
  }
  if (path.length > 1 && path.endsWith('/')) return { ok: false, reason: 'the path must not end with "/"' };
  const segments = path === '/' ? [] : path.slice(1).split('/');
  const parameters: string[] = [];
  let greedy = false;
  for (const [index, segment] of segments.entries()) {
    if (segment === '') return { ok: false, reason: 'the path has an empty segment ("//")' };
    const parameter = PARAMETER_SEGMENT.exec(segment);
    if (parameter) {
      const [, name = '', plus] = parameter;
      if (parameters.includes(name)) return { ok: false, reason: `path parameter {${name}} appears twice` };
      if (plus && index !== segments.length - 1) {
        return { ok: false, reason: `the greedy parameter {${name}+} must be the last segment` };
      }
      parameters.push(name);
      greedy = plus === '+';
      continue;
    }
    if (segment.includes('{') || segment.includes('}')) {
      return { ok: false, reason: `segment "${segment}" mixes text and a parameter; a parameter is a whole segment` };
    }
    if (!LITERAL_SEGMENT.test(segment))
      return { ok: false, reason: `segment "${segment}" has characters a path cannot` };
  }
  return { ok: true, route: { method: method as RouteMethod, path, parameters, greedy } };
}

/**
 * Matches a request path (below the stage) against a route path, returning its parameters, or
 * undefined. Used by the edge when an event carries no route key it knows (e.g. a Function URL).
 */
export function matchRoutePath(routePath: string, requestPath: string): Record<string, string> | undefined {
  const template = routePath === '/' ? [] : routePath.slice(1).split('/');
  const actual = requestPath === '/' || requestPath === '' ? [] : requestPath.replace(/^\//, '').split('/');
  const parameters: Record<string, string> = {};
  for (const [index, segment] of template.entries()) {
    const parameter = PARAMETER_SEGMENT.exec(segment);
    if (parameter?.[2] === '+') {
      const rest = actual.slice(index);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      parameters[parameter[1] as string] = decodeSegment(rest.join('/'));
      return parameters;
    }
    const value = actual[index];
    if (value === undefined || value === '') return undefined;
    if (parameter) parameters[parameter[1] as string] = decodeSegment(value);
    else if (segment !== value) return undefined;
  }
  return actual.length === template.length ? parameters : undefined;
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
