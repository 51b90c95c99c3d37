/**
 * What the edge needs of a project config besides its schemas, resolved and checked once at build
 * time (`resolveProjectConfig`) and written into the edge bundle as data: the edge's cold start
 * then reads a table instead of validating the config again. The schemas stay code, taken from the
 * bundled config by route key.
 */
import { apiRoutes, corsAllowMethods } from './api';
import type { ResolvedProjectConfig, ResolvedRoute } from './resolve-project-config';

/** A resolved route less what the edge does not use (examples, descriptions) and its schema (code). */
export type EdgeRouteEntry = Omit<ResolvedRoute, 'schema' | 'example' | 'description'>;

export interface EdgeRouteTable {
  /** The project's name: the edge's metrics `Service` dimension. */
  name: string;
  routes: readonly EdgeRouteEntry[];
  /** What a CORS preflight allows (`corsAllowMethods` of the API's routes, the jobs route included). */
  allowMethods: readonly string[];
}

/**
 * True when some route has a `{parameter}` or `{proxy+}` in its path: only then does the edge need
 * `matchRoutePath` to match a request no route key names; other tables' paths match only themselves.
 */
export function hasPathTemplates(routes: ReadonlyArray<Pick<ResolvedRoute, 'parameters'>>): boolean {
  return routes.some((route) => route.parameters.length > 0);
}

export function edgeRouteTable(project: ResolvedProjectConfig): EdgeRouteTable {
  return {
    name: project.name,
    routes: project.routes.map(({ schema: _schema, example: _example, description: _description, ...route }) => route),
    allowMethods: corsAllowMethods(apiRoutes(project.routes)),
  };
}
