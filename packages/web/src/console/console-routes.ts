/**
 * The routes the console offers: the ones the stack announced in `gatehouse-config.json`, joined
 * with their schemas from the bundled project config (when the app was built for one), so a route
 * with a schema gets a form and the rest get raw JSON.
 */
import {
  type GatehouseConfig,
  parseRouteKey,
  type RouteMethod,
  type WebConfig,
  type WebRoute,
} from '@gatehouse/contract';
import type { StandardSchemaV1 } from '@standard-schema/spec';

export interface ConsoleRoute extends WebRoute {
  method: RouteMethod;
  parameters: string[];
  schema: StandardSchemaV1 | undefined;
}

export function consoleRoutes(webConfig: WebConfig, project: GatehouseConfig | undefined): ConsoleRoute[] {
  const announced: WebRoute[] =
    webConfig.routes ??
    Object.entries(project?.routes ?? {}).map(([key, route]) => ({
      key,
      hasBody: !['GET', 'DELETE', 'HEAD'].includes(key.split(' ')[0] ?? ''),
      description: route.description,
      example: route.example,
      ...(route.job ? { job: true } : {}),
    }));
  const routes: ConsoleRoute[] = [];
  for (const route of announced) {
    const parsed = parseRouteKey(route.key);
    if (!parsed.ok) continue;
    routes.push({
      ...route,
      method: parsed.route.method,
      parameters: parsed.route.parameters,
      schema: project?.routes[route.key]?.schema,
    });
  }
  return routes;
}
