/**
 * Job routes in the local stack, wired as the construct wires them on AWS: a DynamoDB table
 * (`<project>-jobs`, on dynalite with its data in the state directory), the generic job runner
 * (`<project>-job-runner`) with no retries, at most the routes' `maxConcurrent` runs at once and the
 * longest job's timeout plus a margin, and the edge's environment naming both. At start, jobs the
 * previous run left unfinished are marked `interrupted` (see dynamodb/jobs-table.ts).
 */
import path from 'node:path';
import type { LoadedProjectConfig } from '@gatehouse/bundler';
import { hasJobRoutes, jobsServiceName, writeEdgeJobEnvironment, writeJobRunnerEnvironment } from '@gatehouse/contract';
import { DynamoDbClient, JobStore } from '@gatehouse/edge/jobs';
import { ensureJobsTable, markInterruptedJobs, startDynamoDb } from '../dynamodb';
import type { LocalKeys } from '../iam';
import { type FunctionDefinition, nodeBundle } from '../lambda';

/** Time the runner keeps beyond the longest job to record its outcome (the construct uses the same). */
export const RUNNER_MARGIN_SECONDS = 30;

export interface StackJobs {
  table: string;
  runner: string;
  dynamoDbUrl: string;
  close(): Promise<void>;
}

export async function startStackJobs(
  project: LoadedProjectConfig,
  options: { host: string; stateDir: string; region: string; credential: LocalKeys; log: (line: string) => void },
): Promise<StackJobs | undefined> {
  const { resolved } = project;
  if (!hasJobRoutes(resolved.routes)) return undefined;
  const service = await startDynamoDb({
    host: options.host,
    port: 0,
    dataDir: path.join(options.stateDir, 'dynamodb'),
    credential: options.credential,
    region: options.region,
  });
  const db = new DynamoDbClient({
    region: options.region,
    endpoint: new URL(service.url),
    credentials: {
      accessKeyId: options.credential.accessKeyId,
      secretAccessKey: options.credential.secretAccessKey,
      sessionToken: undefined,
    },
  });
  const table = `${resolved.name}-jobs`;
  try {
    await ensureJobsTable(db, table);
    const interrupted = await markInterruptedJobs(new JobStore(db, table));
    for (const jobId of interrupted)
      options.log(`${jobId} failed: interrupted (the stack stopped while it was unfinished)`);
  } catch (error) {
    db.close();
    await service.close();
    throw error;
  } finally {
    db.close();
  }
  return { table, runner: `${resolved.name}-job-runner`, dynamoDbUrl: service.url, close: service.close };
}

/** The edge's environment for job routes. */
export function edgeJobEnvironment(jobs: StackJobs): Record<string, string> {
  return writeEdgeJobEnvironment({ table: jobs.table, runner: jobs.runner, dynamoDbEndpoint: jobs.dynamoDbUrl });
}

export function runnerFunction(
  project: LoadedProjectConfig,
  jobs: StackJobs,
  bundlePath: string,
  coreTargets: Readonly<Record<string, string>>,
  lambdaUrl: string,
): FunctionDefinition {
  const jobRoutes = project.resolved.routes.flatMap((route) => (route.job ? [route.job] : []));
  return {
    name: jobs.runner,
    ...nodeBundle(bundlePath),
    timeoutSeconds: Math.max(...jobRoutes.map((job) => job.timeoutSeconds)) + RUNNER_MARGIN_SECONDS,
    memoryMb: 256,
    maxWorkers: jobRoutes.reduce((sum, job) => sum + job.maxConcurrent, 0),
    environment: writeJobRunnerEnvironment({
      coreTargets,
      table: jobs.table,
      service: jobsServiceName(project.resolved.name),
      lambdaEndpoint: lambdaUrl,
      dynamoDbEndpoint: jobs.dynamoDbUrl,
    }),
  };
}

/**
 * The runner's one line per job, as the dev output shows it:
 * `3f2a… POST /summaries succeeded — queued 4 ms, ran 35.1 s`. Other lines are left as they are.
 */
export function jobTimeline(line: string): string | undefined {
  if (!line.includes('"message":"job"')) return undefined;
  try {
    const entry = JSON.parse(line) as {
      jobId?: string;
      route?: string;
      status?: string;
      outcome?: string;
      waitMs?: number;
      runMs?: number;
    };
    if (typeof entry.jobId !== 'string') return undefined;
    const how = entry.status === 'failed' ? `failed (${entry.outcome})` : entry.status;
    return `${entry.jobId} ${entry.route} ${how} — queued ${duration(entry.waitMs)}, ran ${duration(entry.runMs)}`;
  } catch {
    return undefined;
  }
}

function duration(ms: number | undefined): string {
  if (typeof ms !== 'number') return '?';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
