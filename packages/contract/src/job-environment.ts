/**
 * The environment of job routes, with one home like the edge's (edge-environment.ts): what the
 * edge of a project with job routes reads beside its own variables, and the job runner's. The CDK
 * construct and the local stack write through `write…`, the edge and the runner read through
 * `read…`, and each writer reads its result back, so a bad value fails where it is written.
 */
import { coreTargets, EDGE_VARIABLES, required } from './edge-environment';
import { EnvironmentError } from './environment-error';

export const JOB_VARIABLES = {
  /** The DynamoDB table holding the jobs. */
  table: 'JOBS_TABLE',
  /** The runner function the edge invokes asynchronously (name or ARN). */
  runner: 'JOB_RUNNER',
  /** The runner's `Service` metric dimension and log field (`jobsServiceName`). */
  service: 'JOB_SERVICE',
  /** Where DynamoDB is, when it is not AWS's (the local stack's). */
  dynamoDbEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',
} as const;

/** DynamoDB's rule for table names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

type Environment = Readonly<Record<string, string | undefined>>;

/** What the edge of a project with job routes needs beside its own settings. */
export interface EdgeJobSettings {
  table: string;
  runner: string;
  dynamoDbEndpoint?: string;
}

/** The job runner's settings. */
export interface JobRunnerSettings {
  /** Core name → function, as in the edge's `CORE_TARGETS`: the cores of the job routes. */
  coreTargets: Readonly<Record<string, string>>;
  table: string;
  service: string;
  lambdaEndpoint?: string;
  dynamoDbEndpoint?: string;
}

export function writeEdgeJobEnvironment(input: EdgeJobSettings): Record<string, string> {
  const env: Record<string, string> = { [JOB_VARIABLES.table]: input.table, [JOB_VARIABLES.runner]: input.runner };
  if (input.dynamoDbEndpoint) env[JOB_VARIABLES.dynamoDbEndpoint] = input.dynamoDbEndpoint;
  readEdgeJobEnvironment(env);
  return env;
}

export function readEdgeJobEnvironment(env: Environment): EdgeJobSettings {
  const settings: EdgeJobSettings = { table: table(env), runner: required(env, JOB_VARIABLES.runner) };
  const endpoint = env[JOB_VARIABLES.dynamoDbEndpoint]?.trim();
  if (endpoint) settings.dynamoDbEndpoint = endpoint;
  return settings;
}

export function writeJobRunnerEnvironment(input: JobRunnerSettings): Record<string, string> {
  const env: Record<string, string> = {
    [EDGE_VARIABLES.coreTargets]: Object.entries(input.coreTargets)
      .map(([core, target]) => `${core}=${target}`)
      .join(','),
    [JOB_VARIABLES.table]: input.table,
    [JOB_VARIABLES.service]: input.service,
  };
  if (input.lambdaEndpoint) env[EDGE_VARIABLES.lambdaEndpoint] = input.lambdaEndpoint;
  if (input.dynamoDbEndpoint) env[JOB_VARIABLES.dynamoDbEndpoint] = input.dynamoDbEndpoint;
  readJobRunnerEnvironment(env);
  return env;
}

export function readJobRunnerEnvironment(env: Environment): JobRunnerSettings {
  const settings: JobRunnerSettings = {
    coreTargets: coreTargets(required(env, EDGE_VARIABLES.coreTargets)),
    table: table(env),
    service: required(env, JOB_VARIABLES.service),
  };
  const lambda = env[EDGE_VARIABLES.lambdaEndpoint]?.trim();
  if (lambda) settings.lambdaEndpoint = lambda;
  const dynamoDb = env[JOB_VARIABLES.dynamoDbEndpoint]?.trim();
  if (dynamoDb) settings.dynamoDbEndpoint = dynamoDb;
  return settings;
}

function table(env: Environment): string {
  const value = required(env, JOB_VARIABLES.table);
  // A CDK token (`${Token[…]}`) is resolved at deploy; only a literal name can be checked here.
  if (!TABLE_NAME.test(value) && !value.includes('${Token[')) {
    throw new EnvironmentError(JOB_VARIABLES.table, `is not a DynamoDB table name (got ${JSON.stringify(value)})`);
  }
  return value;
}
