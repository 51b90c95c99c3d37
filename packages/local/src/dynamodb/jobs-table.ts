/**
 * The local jobs table: created at start if missing (on AWS the construct creates it), and swept
 * for jobs the last run left unfinished. Locally the Lambda service's queue of `Event` invocations
 * lives in memory, so a job still `queued` or `running` when the stack stopped will never run or
 * finish: it is marked failed with `interrupted`, so its owner's poll ends instead of waiting
 * forever. (On AWS a queued event survives; a runner killed mid-job is what the alarms catch.)
 */
import { makeProblem } from '@gatehouse/contract';
import { type DynamoDbClient, DynamoDbError, JOB_TABLE_SCHEMA, type JobStore } from '@gatehouse/edge/jobs';

/** How long a new table may stay `CREATING` before the stack gives up on it, and how often it asks. */
const TABLE_ACTIVE_TIMEOUT_MS = 10_000;
const TABLE_POLL_MS = 10;

/**
 * Creates the table if it is missing and returns once it is `ACTIVE`. A table answers "Requested
 * resource not found" to reads and writes while it is `CREATING` — on AWS for seconds, locally
 * until the emulator's next timer turn — so nothing may use it before `DescribeTable` says so (what
 * the SDK's `waitUntilTableExists` does).
 */
export async function ensureJobsTable(db: Pick<DynamoDbClient, 'call'>, table: string): Promise<void> {
  try {
    await db.call('CreateTable', {
      TableName: table,
      AttributeDefinitions: [{ AttributeName: JOB_TABLE_SCHEMA.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: JOB_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  } catch (error) {
    if (!(error instanceof DynamoDbError && error.errorType === 'ResourceInUseException')) throw error;
  }
  const deadline = Date.now() + TABLE_ACTIVE_TIMEOUT_MS;
  for (let attempt = 0; attempt < TABLE_ACTIVE_TIMEOUT_MS / TABLE_POLL_MS; attempt++) {
    const described = (await db.call('DescribeTable', { TableName: table })) as { Table?: { TableStatus?: string } };
    const status = described.Table?.TableStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, TABLE_POLL_MS));
  }
  throw new Error(`the local jobs table ${table} did not become ACTIVE within ${TABLE_ACTIVE_TIMEOUT_MS / 1000} s`);
}

/** Marks every unfinished job failed (`interrupted`); returns how many. */
export async function markInterruptedJobs(store: JobStore): Promise<string[]> {
  const unfinished = await store.listInStatus(['queued', 'running']);
  const marked: string[] = [];
  for (const job of unfinished) {
    const problem = makeProblem(
      'interrupted',
      'The job was interrupted when the local stack stopped. Submit it again.',
      job.requestId,
    );
    if (await store.finish(job, { status: 'failed', problem }, job.status)) marked.push(job.jobId);
  }
  return marked;
}
