/**
 * Reads a route URL the way API Gateway does: `https://<api>.execute-api.<region>.amazonaws.com/<stage>/<route>`
 * (or the local gateway's `http://127.0.0.1:<port>/<stage>/<route>`), and compares the stage and the
 * route with what the project deploys (its config) — which is what tells a "wrong stage" 404 from a
 * "wrong route" one. Without a config, the URL itself is taken as the API: its first segment the
 * stage, the rest a POST route.
 */
import { type ApiDescription, describeApi } from '@gatehouse/contract';

export interface RouteUrl {
  url: URL;
  /** Scheme, host and port. */
  base: string;
  /** First path segment, or undefined when the path is only a route (the `$default` stage). */
  stage: string | undefined;
  /** The rest of the path, from its leading `/`. */
  routePath: string;
  /** The API the URL is checked against. */
  api: ApiDescription;
  /** The API's route this path names, if any. */
  knownRoute: ApiDescription['routes'][number] | undefined;
}

export class RouteUrlError extends Error {
  override name = 'RouteUrlError';
}

export function parseRouteUrl(value: string, given?: ApiDescription): RouteUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RouteUrlError(
      `--url "${value}" is not a URL (e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod/inference)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new RouteUrlError(`--url must be http(s), got ${url.protocol}`);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const api = given ?? apiFromUrl(segments);
  const routeOnly = findRoute(api, `/${segments.join('/')}`);
  // `/inference` alone is a route without a stage; anything longer starts with the stage.
  const stage = routeOnly && segments.length === 1 ? undefined : segments[0];
  const routePath = `/${(stage === undefined ? segments : segments.slice(1)).join('/')}`;
  return { url, base: url.origin, stage, routePath, api, knownRoute: findRoute(api, routePath) };
}

/** The URL the contract says this API answers at, on the given stage. */
export function contractRouteUrl(base: string, stage: string, routePath: string): string {
  return `${base}/${stage}${routePath}`;
}

function findRoute(api: ApiDescription, path: string) {
  return api.routes.find((r) => r.path === path);
}

/** The API a bare URL implies: `/<stage>/<route…>` with the route taken as POST. */
function apiFromUrl(segments: readonly string[]): ApiDescription {
  const [stage = 'prod', ...route] = segments;
  return describeApi({ name: 'api', stage, routes: [{ method: 'POST', path: `/${route.join('/')}` }] });
}
