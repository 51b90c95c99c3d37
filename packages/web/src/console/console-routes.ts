/**
 * The routes the console offers: the ones the stack announced in `gatehouse-config.json`, joined
 * with the input schemas bundled for the project (when the app was built for one), so a route with
 * a schema gets a form and the rest get raw JSON.
 */
import { parseRouteKey, type RouteMethod, type WebConfig, type WebRoute } from '@gatehouse/contract';

/**
 * What the browser bundle holds of a project's config, per route key: its description and the JSON
 * Schema of its input, computed when the app is built — never the config itself, whose cores,
 * environment and ARNs are no business of a browser (project-plugin.ts).
 */
export interface BundledRoute {
  description?: string;
  inputSchema?: Record<string, unknown>;
}

export type BundledRoutes = Readonly<Record<string, BundledRoute>>;

export interface ConsoleRoute extends WebRoute {
  method: RouteMethod;
  parameters: string[];
  inputSchema: Record<string, unknown> | undefined;
}

export function consoleRoutes(webConfig: WebConfig, bundled: BundledRoutes | undefined): ConsoleRoute[] {
  const announced: WebRoute[] =
    webConfig.routes ??
    Object.entries(bundled ?? {}).map(([key, route]) => ({
      key,
      hasBody: !['GET', 'DELETE', 'HEAD'].includes(key.split(' ')[0] ?? ''),
      description: route.description,
    }));
  const routes: ConsoleRoute[] = [];
  for (const route of announced) {
    const parsed = parseRouteKey(route.key);
    if (!parsed.ok) continue;
    routes.push({
      ...route,
      method: parsed.route.method,
      parameters: parsed.route.parameters,
      inputSchema: bundled?.[route.key]?.inputSchema,
    });
  }
  return routes;
}
