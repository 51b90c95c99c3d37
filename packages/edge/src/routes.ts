/**
 * The project's routes inside the edge: which one an event is for, and its path parameters. Behind
 * an HTTP API the event's `routeKey` names it; without one (a Function URL, a test), the method and
 * path below the stage are matched the way the gateway matches them — a route with no match is 404,
 * a path served only for other methods is 405 with `Allow`.
 */
import type { ResolvedRoute } from '@gatehouse/contract';
import { stringValues } from './event-values';
import { Rejection } from './rejection';

export type EdgeRoute = Pick<
  ResolvedRoute,
  'key' | 'method' | 'path' | 'core' | 'schema' | 'payload' | 'groups' | 'hasBody' | 'parameters'
> &
  Partial<Pick<ResolvedRoute, 'job'>>;

export interface RouteSelection {
  route: EdgeRoute;
  pathParameters: Record<string, string>;
}

export interface RoutedRequest {
  routeKey: string | undefined;
  method: string;
  rawPath: string;
  stage: string | undefined;
  pathParameters: Readonly<Record<string, string | undefined>> | undefined;
}

/** A route path against a request path below the stage: the route's parameters, or undefined. */
export type PathMatcher = (routePath: string, requestPath: string) => Record<string, string> | undefined;

/**
 * Enough for routes without `{parameters}`: such a path matches only itself. A bundle whose routes
 * have parameters is given the contract's `matchRoutePath` by its generated entry instead, so only
 * those bundles carry the template matcher.
 */
export const matchLiteralPath: PathMatcher = (routePath, requestPath) => (routePath === requestPath ? {} : undefined);

export function selectRoute(
  routes: readonly EdgeRoute[],
  request: RoutedRequest,
  matchPath: PathMatcher = matchLiteralPath,
): RouteSelection {
  const named = routes.find(
    (route) => route.key === request.routeKey && (route.method === request.method || route.method === 'ANY'),
  );
  if (named) return { route: named, pathParameters: stringValues(request.pathParameters) };

  const path = pathBelowStage(request.rawPath, request.stage);
  const onPath = routes.flatMap((route) => {
    const parameters = matchPath(route.path, path);
    return parameters ? [{ route, pathParameters: parameters }] : [];
  });
  const exact = onPath.find((m) => m.route.method === request.method) ?? onPath.find((m) => m.route.method === 'ANY');
  if (exact) return exact;
  if (onPath.length > 0) {
    const allow = [...new Set(onPath.map((m) => m.route.method)), 'OPTIONS'].join(', ');
    throw new Rejection(
      'method_not_allowed',
      `${request.method || 'This method'} is not supported here; use ${allow}.`,
      undefined,
      { allow },
    );
  }
  throw new Rejection('route_not_found', `No route of this API matches ${request.method} ${path}.`);
}

function pathBelowStage(rawPath: string, stage: string | undefined): string {
  if (!stage || stage === '$default') return rawPath || '/';
  if (rawPath === `/${stage}`) return '/';
  return rawPath.startsWith(`/${stage}/`) ? rawPath.slice(stage.length + 1) : rawPath || '/';
}
