/**
 * Route selection as API Gateway HTTP API does it: strip the stage, then prefer the most specific
 * route — a full match (literal segments before `{param}` segments), then the greedy `{proxy+}`
 * route with the longest literal prefix, then `$default`. A route for the exact method wins over
 * `ANY` for the same path.
 */
import type { ApiDescription, HttpMethod, RouteDescription } from '@gatehouse/contract';

/** A route as the emulator understands it: the contract's routes, plus `ANY` and `$default`. */
export interface GatewayRoute extends Omit<RouteDescription, 'method' | 'path'> {
  method: HttpMethod | 'ANY' | 'HEAD' | 'OPTIONS';
  /** A route path (`/items/{id}`, `/{proxy+}`), or `$default` for the catch-all route. */
  path: string;
}

/** The contract's `ApiDescription` is assignable to this; tests widen it with `ANY` and `$default`. */
export interface GatewayApiDescription extends Omit<ApiDescription, 'routes'> {
  routes: readonly GatewayRoute[];
}

export interface RouteMatch {
  route: GatewayRoute;
  /** `POST /inference`, or `$default`; never carries the stage. */
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
}

export type StageResolution = { ok: true; pathInStage: string } | { ok: false };

/** `/prod/inference` → `/inference` on stage `prod`; `$default` is served at the root. */
export function resolveStage(stage: string, rawPath: string): StageResolution {
  if (stage === '$default') return { ok: true, pathInStage: rawPath };
  const prefix = `/${stage}`;
  if (rawPath === prefix) return { ok: true, pathInStage: '/' };
  if (rawPath.startsWith(`${prefix}/`)) return { ok: true, pathInStage: rawPath.slice(prefix.length) };
  return { ok: false };
}

interface Candidate {
  match: RouteMatch;
  /** Lower sorts first: [greedy?, -literal segments, param segments, ANY?]. */
  rank: [number, number, number, number];
}

export function matchRoute(routes: readonly GatewayRoute[], method: string, pathInStage: string): RouteMatch | null {
  const segments = splitPath(pathInStage);
  const candidates: Candidate[] = [];
  let fallback: RouteMatch | null = null;
  for (const route of routes) {
    if (route.path === '$default') {
      fallback = { route, routeKey: '$default', pathParameters: undefined };
      continue;
    }
    if (route.method !== 'ANY' && route.method !== method) continue;
    const matched = matchTemplate(splitPath(route.path), segments);
    if (!matched) continue;
    candidates.push({
      match: { route, routeKey: `${route.method} ${route.path}`, pathParameters: matched.parameters },
      rank: [matched.greedy ? 1 : 0, -matched.literals, matched.params, route.method === 'ANY' ? 1 : 0],
    });
  }
  candidates.sort((a, b) => compareRanks(a.rank, b.rank));
  return candidates[0]?.match ?? fallback;
}

function compareRanks(a: Candidate['rank'], b: Candidate['rank']): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchTemplate(
  template: string[],
  segments: string[],
): { parameters: Record<string, string> | undefined; greedy: boolean; literals: number; params: number } | null {
  const parameters: Record<string, string> = {};
  let literals = 0;
  let params = 0;
  for (let i = 0; i < template.length; i++) {
    const part = template[i] ?? '';
    const greedy = /^\{(\w+)\+\}$/.exec(part);
    if (greedy?.[1]) {
      // A greedy variable must match at least one segment, as on AWS (`/{proxy+}` does not match `/`).
      if (i !== template.length - 1 || segments.length <= i) return null;
      parameters[greedy[1]] = segments.slice(i).map(safeDecode).join('/');
      return { parameters, greedy: true, literals, params };
    }
    const segment = segments[i];
    if (segment === undefined) return null;
    const param = /^\{(\w+)\}$/.exec(part);
    if (param?.[1]) {
      parameters[param[1]] = safeDecode(segment);
      params++;
    } else if (part === segment) {
      literals++;
    } else {
      return null;
    }
  }
  if (segments.length !== template.length) return null;
  return { parameters: params > 0 ? parameters : undefined, greedy: false, literals, params };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
