/**
 * The Lambda entry point for a project: the project's bundle (built per project with esbuild from
 * its `gatehouse.config.ts`) calls this once, at cold start, with the config it imports. Routes and
 * schemas come from that config; what differs per deployment (function names, origins, auth mode)
 * from the environment. A bad config or environment fails init with a message naming the key or
 * the variable, and the keep-alive connection to the Lambda service is reused by every request.
 *
 * @example
 * // the generated entry of a project's edge bundle
 * import config from './gatehouse.config';
 * export const handler = createLambdaHandler(config);
 */
import { EDGE_VARIABLES, edgeMetricService, type GatehouseConfig, resolveProjectConfig } from '@gatehouse/contract';
import { loadAwsEnvironment } from './aws-environment';
import { type Environment, loadConfig } from './config';
import { createEdgeHandler, type EdgeDependencies, type EdgeHandler } from './edge';
import { LambdaInvokeClient } from './lambda-invoke-client';
import { Logger } from './logger';

/** Builds the job routes' support from the environment (`jobRoutesFromEnvironment` of `@gatehouse/edge/jobs`). */
export type JobSupportFactory = (env: Environment, client: LambdaInvokeClient) => NonNullable<EdgeDependencies['jobs']>;

/**
 * @param jobs given by the entry of a project with job routes only, so the job code stays out of
 *   the other projects' bundles.
 */
export function createLambdaHandler(
  project: GatehouseConfig,
  env = process.env,
  jobs?: JobSupportFactory,
): EdgeHandler {
  const resolved = resolveProjectConfig(project);
  const config = loadConfig(env);
  // The metrics' `Service` dimension: the one the construct's alarms watch.
  const service = edgeMetricService(resolved.name);
  const client = new LambdaInvokeClient(
    loadAwsEnvironment(env),
    undefined,
    // Set by the construct when tracing is on; read per request, as Lambda sets it per invocation.
    env[EDGE_VARIABLES.forwardTraceHeader] === 'true' ? () => process.env._X_AMZN_TRACE_ID : undefined,
  );
  return createEdgeHandler({
    config,
    routes: resolved.routes,
    client,
    logger: new Logger(config.logLevel, service),
    service,
    ...(jobs ? { jobs: jobs(env, client) } : {}),
  });
}
