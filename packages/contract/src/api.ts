/**
 * The HTTP API as gatehouse deploys it: stage, routes, CORS and JWT authorizer settings.
 *
 * This one object is what the CDK construct turns into an API Gateway HTTP API and what the local
 * gateway emulator serves, so local and AWS cannot drift. What differs per deployment (allowed
 * origins, issuer, audiences) is passed in beside it, never baked in.
 */

import { JOBS_ROUTE } from './jobs';
import type { ResolvedRoute } from './resolve-project-config';
import type { RouteMethod } from './route-key';

export type HttpMethod = RouteMethod;

export interface RouteDescription {
  method: HttpMethod;
  /** Path below the stage, as in an API Gateway route key (`/inference`, `/items/{id}`, `/{proxy+}`). */
  path: string;
  /** The Lambda that integrates the route. */
  integration: 'edge';
  /** `jwt` puts the Cognito JWT authorizer in front of the route. */
  authorization: 'jwt' | 'none';
  /** Authorization scopes the token must carry one of (access tokens only); empty for ID tokens. */
  scopes: readonly string[];
}

export interface CorsDescription {
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
  /** gatehouse sends the token in a header, not a cookie, so credentials stay off. */
  allowCredentials: false;
}

export interface ApiDescription {
  name: string;
  stage: string;
  payloadFormatVersion: '2.0';
  routes: readonly RouteDescription[];
  cors: CorsDescription;
  authorizer: {
    name: string;
    identitySource: '$request.header.Authorization';
  };
  /** API Gateway's integration timeout for HTTP APIs: 30 s, and it cannot be raised. */
  integrationTimeoutMs: number;
}

/** gatehouse's CORS settings on every API; the allowed methods follow the routes (`corsAllowMethods`). */
export const API_CORS: Omit<CorsDescription, 'allowMethods'> = {
  // `idempotency-key` and `location` serve job routes (a submit's key, its 202's job URL).
  allowHeaders: ['authorization', 'content-type', 'x-request-id', 'idempotency-key'],
  exposeHeaders: ['x-request-id', 'server-timing', 'retry-after', 'location'],
  maxAgeSeconds: 600,
  allowCredentials: false,
};

/** API Gateway's integration timeout for HTTP APIs: 30 s, and it cannot be raised. */
export const HTTP_API_INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * The API a project config describes: its stage and routes on gatehouse's fixed CORS, authorizer and
 * integration settings. Allowed methods are exactly the routes' methods, plus the preflight's. With
 * job routes, `GET /jobs/{jobId}` is served once, by the edge, behind the same authorizer.
 */
export function describeApi(config: {
  name: string;
  stage: string;
  routes: ReadonlyArray<Pick<ResolvedRoute, 'method' | 'path'> & { job?: unknown }>;
}): ApiDescription {
  const routes = apiRoutes(config.routes);
  return {
    payloadFormatVersion: '2.0',
    authorizer: { name: 'cognito', identitySource: '$request.header.Authorization' },
    integrationTimeoutMs: HTTP_API_INTEGRATION_TIMEOUT_MS,
    name: config.name,
    stage: config.stage,
    routes: routes.map((route) => ({
      method: route.method,
      path: route.path,
      integration: 'edge' as const,
      authorization: 'jwt' as const,
      scopes: [],
    })),
    cors: { ...API_CORS, allowMethods: corsAllowMethods(routes) },
  };
}

export function hasJobRoutes(routes: ReadonlyArray<{ job?: unknown }>): boolean {
  return routes.some((route) => route.job !== undefined);
}

/** The project's routes and, when any is a job route, the jobs route. */
export function apiRoutes(
  routes: ReadonlyArray<Pick<RouteDescription, 'method' | 'path'> & { job?: unknown }>,
): ReadonlyArray<Pick<RouteDescription, 'method' | 'path'>> {
  return hasJobRoutes(routes) ? [...routes, { method: JOBS_ROUTE.method, path: JOBS_ROUTE.path }] : routes;
}

/** The methods a preflight allows for these routes: theirs (`ANY` is every one), and `OPTIONS`. */
export function corsAllowMethods(routes: ReadonlyArray<Pick<RouteDescription, 'method'>>): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ANY') for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']) methods.add(m);
    else methods.add(route.method);
  }
  return [...methods, 'OPTIONS'];
}

/** Route key as API Gateway writes it (`POST /inference`). */
export function routeKey(route: Pick<RouteDescription, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** The issuer a Cognito user pool signs with. The region is the part of the pool id before `_`. */
export function cognitoIssuer(userPoolId: string): string {
  const region = userPoolRegion(userPoolId);
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

export function userPoolRegion(userPoolId: string): string {
  const match = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[A-Za-z0-9]+$/.exec(userPoolId);
  if (!match?.[1]) throw new Error(`"${userPoolId}" is not a Cognito user pool id (expected <region>_<id>)`);
  return match[1];
}
