/**
 * Jobs in their DynamoDB table: one item per job, keyed by `jobId`, written by the edge (queued),
 * moved by the runner (running, then succeeded or failed) only through conditional writes, so a
 * duplicate delivery of the runner's event can never run the core twice nor overwrite a result.
 *
 * Items expire through the table's TTL on `expiresAt` (epoch seconds). DynamoDB deletes expired
 * items within days, not at once, so a read filters on the expiry itself.
 */
import type { JobStatus, JobView, Problem } from '@gatehouse/contract';
import { type DynamoDbClient, DynamoDbError, type Item } from './dynamodb-client';

/** The table's key and TTL attribute, which the construct and the local stack create. */
export const JOB_TABLE_SCHEMA = { partitionKey: 'jobId', ttlAttribute: 'expiresAt' } as const;

export interface NewJob {
  jobId: string;
  /** Who may read it: the auth mode and the caller's stable id. */
  owner: string;
  route: string;
  core: string;
  /** The core payload, as JSON: what a normal route would send. */
  payload: string;
  /** Hash of the validated request, so an idempotency key reused for another request is refused. */
  requestHash: string;
  requestId: string;
  timeoutSeconds: number;
  keepHours: number;
  submittedAt: number;
}

export interface StoredJob {
  jobId: string;
  owner: string;
  route: string;
  core: string;
  status: JobStatus;
  payload: string | undefined;
  requestHash: string;
  requestId: string;
  timeoutSeconds: number;
  keepHours: number;
  submittedAt: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  expiresAt: number;
  /** The core's answer as JSON text. */
  result: string | undefined;
  problem: Problem | undefined;
}

export type JobEnd = { status: 'succeeded'; result: string } | { status: 'failed'; problem: Problem };

const NAMES = { '#status': 'status', '#expiresAt': 'expiresAt' };

export class JobStore {
  constructor(
    private readonly db: Pick<DynamoDbClient, 'call'>,
    readonly table: string,
  ) {}

  /** Writes a queued job; `false` if a job with this id exists already (an idempotent resubmit). */
  async create(job: NewJob): Promise<boolean> {
    // Until it has run, a job lives as long as its wait and run could take, then `keepHours`.
    const expiresAt = Math.ceil(job.submittedAt / 1000) + job.timeoutSeconds + job.keepHours * 3600;
    const item: Item = {
      jobId: { S: job.jobId },
      owner: { S: job.owner },
      route: { S: job.route },
      core: { S: job.core },
      status: { S: 'queued' },
      payload: { S: job.payload },
      requestHash: { S: job.requestHash },
      requestId: { S: job.requestId },
      timeoutSeconds: { N: String(job.timeoutSeconds) },
      keepHours: { N: String(job.keepHours) },
      submittedAt: { N: String(job.submittedAt) },
      expiresAt: { N: String(expiresAt) },
    };
    try {
      await this.db.call('PutItem', {
        TableName: this.table,
        Item: item,
        // An expired job TTL has not deleted yet is gone for its owner: its key may start anew.
        ConditionExpression: 'attribute_not_exists(jobId) OR #expiresAt < :now',
        ExpressionAttributeNames: { '#expiresAt': NAMES['#expiresAt'] },
        ExpressionAttributeValues: { ':now': { N: String(Math.floor(job.submittedAt / 1000)) } },
      });
      return true;
    } catch (error) {
      if (error instanceof DynamoDbError && error.conditionFailed) return false;
      throw error;
    }
  }

  /** A strongly consistent read, so a poll right after the submit sees the job. */
  async get(jobId: string, now = Date.now()): Promise<StoredJob | undefined> {
    const answer = await this.db.call('GetItem', {
      TableName: this.table,
      Key: { jobId: { S: jobId } },
      ConsistentRead: true,
    });
    const job = answer.Item ? fromItem(answer.Item as Item) : undefined;
    return job && job.expiresAt * 1000 > now ? job : undefined;
  }

  /**
   * queued → running, once: the condition fails for a job already taken by another delivery of the
   * same event (or finished, or gone), and then `undefined` says not to run it.
   */
  async start(jobId: string, now = Date.now()): Promise<StoredJob | undefined> {
    try {
      const answer = await this.db.call('UpdateItem', {
        TableName: this.table,
        Key: { jobId: { S: jobId } },
        UpdateExpression: 'SET #status = :running, startedAt = :now',
        ConditionExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': NAMES['#status'] },
        ExpressionAttributeValues: {
          ':running': { S: 'running' },
          ':queued': { S: 'queued' },
          ':now': { N: String(now) },
        },
        ReturnValues: 'ALL_NEW',
      });
      return fromItem(answer.Attributes as Item);
    } catch (error) {
      if (error instanceof DynamoDbError && error.conditionFailed) return undefined;
      throw error;
    }
  }

  /**
   * Records how a job ended, if it is still in `from` (a job marked `interrupted` meanwhile keeps
   * that). The payload is dropped to leave the item's room to the result.
   */
  async finish(
    job: Pick<StoredJob, 'jobId' | 'keepHours'>,
    end: JobEnd,
    from: JobStatus = 'running',
    now = Date.now(),
  ) {
    const outcome: Item =
      end.status === 'succeeded'
        ? { ':result': { S: end.result } }
        : { ':problem': { S: JSON.stringify(end.problem) } };
    try {
      await this.db.call('UpdateItem', {
        TableName: this.table,
        Key: { jobId: { S: job.jobId } },
        UpdateExpression: `SET #status = :end, finishedAt = :now, #expiresAt = :expires, ${
          end.status === 'succeeded' ? '#result = :result' : 'problem = :problem'
        } REMOVE #payload`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: {
          '#status': NAMES['#status'],
          '#expiresAt': NAMES['#expiresAt'],
          '#payload': 'payload',
          ...(end.status === 'succeeded' ? { '#result': 'result' } : {}),
        },
        ExpressionAttributeValues: {
          ':end': { S: end.status },
          ':from': { S: from },
          ':now': { N: String(now) },
          ':expires': { N: String(Math.ceil(now / 1000) + job.keepHours * 3600) },
          ...outcome,
        },
      });
      return true;
    } catch (error) {
      if (error instanceof DynamoDbError && error.conditionFailed) return false;
      throw error;
    }
  }

  /** Every job in one of these states (a full scan: for the local stack's restart sweep only). */
  async listInStatus(statuses: readonly JobStatus[]): Promise<StoredJob[]> {
    const jobs: StoredJob[] = [];
    let startKey: unknown;
    const values: Item = Object.fromEntries(statuses.map((status, i) => [`:s${i}`, { S: status }]));
    for (let page = 0; page < 10_000; page++) {
      const answer = await this.db.call('Scan', {
        TableName: this.table,
        FilterExpression: `#status IN (${Object.keys(values).join(', ')})`,
        ExpressionAttributeNames: { '#status': NAMES['#status'] },
        ExpressionAttributeValues: values,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      });
      for (const item of (answer.Items as Item[] | undefined) ?? []) jobs.push(fromItem(item));
      startKey = answer.LastEvaluatedKey;
      if (!startKey) break;
    }
    return jobs;
  }
}

/** The job as its owner reads it. */
export function jobView(job: StoredJob): JobView {
  const view: JobView = {
    jobId: job.jobId,
    route: job.route,
    status: job.status,
    submittedAt: new Date(job.submittedAt).toISOString(),
  };
  if (job.startedAt !== undefined) view.startedAt = new Date(job.startedAt).toISOString();
  if (job.finishedAt !== undefined) view.finishedAt = new Date(job.finishedAt).toISOString();
  if (job.status === 'succeeded' && job.result !== undefined) view.result = JSON.parse(job.result);
  if (job.status === 'failed' && job.problem) view.problem = job.problem;
  return view;
}

function fromItem(item: Item): StoredJob {
  const text = (name: string) => {
    const value = item[name];
    return value && 'S' in value ? value.S : undefined;
  };
  const number = (name: string) => {
    const value = item[name];
    return value && 'N' in value ? Number(value.N) : undefined;
  };
  const problem = text('problem');
  return {
    jobId: text('jobId') ?? '',
    owner: text('owner') ?? '',
    route: text('route') ?? '',
    core: text('core') ?? '',
    status: (text('status') ?? 'failed') as JobStatus,
    payload: text('payload'),
    requestHash: text('requestHash') ?? '',
    requestId: text('requestId') ?? '',
    timeoutSeconds: number('timeoutSeconds') ?? 0,
    keepHours: number('keepHours') ?? 0,
    submittedAt: number('submittedAt') ?? 0,
    startedAt: number('startedAt'),
    finishedAt: number('finishedAt'),
    expiresAt: number('expiresAt') ?? 0,
    result: text('result'),
    problem: problem === undefined ? undefined : (JSON.parse(problem) as Problem),
  };
}
