/**
 * `@gatehouse/edge/jobs`: job routes (docs/JOBS.md). A separate entry so a project without job
 * routes bundles none of this into its edge; the runner's Lambda bundle starts here too.
 */
import { readEdgeJobEnvironment } from '@gatehouse/contract';
import { loadAwsEnvironment } from '../aws-environment';
import type { Environment } from '../config';
import { parseFunctionTarget } from '../function-target';
import type { LambdaInvokeClient } from '../lambda-invoke-client';
import { DynamoDbClient } from './dynamodb-client';
import { JobRoutes } from './job-routes';
import { JobStore } from './job-store';

export { DynamoDbClient, DynamoDbError } from './dynamodb-client';
export { type JobAnswer, JobRoutes, type JobSubmission } from './job-routes';
export { createJobRunner, createJobRunnerHandler, type JobRunnerHandler } from './job-runner';
export { JOB_TABLE_SCHEMA, JobStore, type StoredJob } from './job-store';

/**
 * The edge's job routes, from its environment (`JOBS_TABLE`, `JOB_RUNNER`): handed to
 * `createLambdaHandler` by the generated entry of a project with job routes.
 */
export function jobRoutesFromEnvironment(env: Environment, client: Pick<LambdaInvokeClient, 'invoke'>): JobRoutes {
  const settings = readEdgeJobEnvironment(env);
  const store = new JobStore(new DynamoDbClient(loadAwsEnvironment(env, 'dynamodb')), settings.table);
  return new JobRoutes(store, client, parseFunctionTarget(settings.runner, 'JOB_RUNNER'));
}
