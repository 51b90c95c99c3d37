/**
 * The Lambda entry point for a project: the project's bundle (built per project with esbuild from
 * its `gatehouse.config.ts`) calls this once, at cold start, with the route table the build
 * resolved and checked (`edgeRouteTable`) and the config it imports for the schemas. Nothing of the
 * config is validated again here: that was the build's job. What differs per deployment (function
 * names, origins, auth mode) comes from the environment. A bad environment fails init with a
 * message naming the variable, and the keep-alive connection to the Lambda service is reused by
 * every request.
 *
 * @example
 * // the generated entry of a project's edge bundle
 * import config from './gatehouse.config';
 * export const handler = createLambdaHandler({ name: 'figures', routes: [ … ] }, config);
 */
import { EDGE_VARIABLES, type EdgeRouteTable, edgeMetricService, type GatehouseConfig } from '@gatehouse/contract';
import { loadAwsEnvironment } from './aws-environment';
import { type Environment, loadConfig } from './config';
import { createEdgeHandler, type EdgeDependencies, type EdgeHandler } from './edge';
import { LambdaInvokeClient } from './lambda-invoke-client';
import { Logger } from './logger';
import type { EdgeRoute, PathMatcher } from './routes';

/** Builds the job routes' support from the environment (`jobRoutesFromEnvironment` of `@gatehouse/edge/jobs`). */
export type JobSupportFactory = (env: Environment, client: LambdaInvokeClient) => NonNullable<EdgeDependencies['jobs']>;

/**
 * What only some projects' bundles carry, given by their generated entry: `jobs` to a project with
 * job routes, `matchPath` (the contract's `matchRoutePath`) to one whose paths have `{parameters}`.
 */
export interface LambdaHandlerExtensions {
  jobs?: JobSupportFactory;
  matchPath?: PathMatcher;
}

export function createLambdaHandler(
  table: EdgeRouteTable,
  project: GatehouseConfig,
  env = process.env,
  { jobs, matchPath }: LambdaHandlerExtensions = {},
): EdgeHandler {
  const config = loadConfig(env);
  // The metrics' `Service` dimension: the one the construct's alarms watch.
  const service = edgeMetricService(table.name);
  const client = new LambdaInvokeClient(
    loadAwsEnvironment(env),
    undefined,
    // Set by the construct when tracing is on; read per request, as Lambda sets it per invocation.
    env[EDGE_VARIABLES.forwardTraceHeader] === 'true' ? () => process.env._X_AMZN_TRACE_ID : undefined,
  );
  return createEdgeHandler({
    config,
    routes: withSchemas(table, project),
    allowMethods: table.allowMethods,
    ...(matchPath ? { matchPath } : {}),
    client,
    logger: new Logger(config.logLevel, service),
    service,
    ...(jobs ? { jobs: jobs(env, client) } : {}),
  });
}

/**
 * Each route of the table with its schema from the bundled config. A table and a config that no
 * longer agree (a bundle pieced together from two builds) fail init: serving a body route without
 * its schema would pass unvalidated bodies to the core.
 */
function withSchemas(table: EdgeRouteTable, project: GatehouseConfig): EdgeRoute[] {
  return table.routes.map((route) => {
    const configured = project.routes[route.key];
    if (!configured) {
      throw new Error(`the edge's route table names ${route.key}, which its bundled config does not: rebuild the edge`);
    }
    if (configured.schema === undefined && route.hasBody && route.method !== 'ANY') {
      throw new Error(`the edge's route ${route.key} has no schema in its bundled config: rebuild the edge`);
    }
    return { ...route, schema: configured.schema };
  });
}
