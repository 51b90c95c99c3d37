/**
 * Job tests' fixtures: a jobs table on an in-memory dynalite (a real implementation of DynamoDB's
 * API, so conditional writes behave as on AWS), and a Lambda client stub that records invocations
 * and answers as the test says.
 */
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { FunctionTarget } from '../src/function-target';
import { DynamoDbClient } from '../src/jobs/dynamodb-client';
import { JOB_TABLE_SCHEMA, JobStore } from '../src/jobs/job-store';
import type { InvocationType, InvokeResult } from '../src/lambda-invoke-client';

export interface JobsTable {
  store: JobStore;
  db: DynamoDbClient;
  close(): Promise<void>;
}

export async function startJobsTable(table = 'jobs-test'): Promise<JobsTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const db = new DynamoDbClient({
    region: 'eu-west-1',
    endpoint: new URL(`http://127.0.0.1:${port}`),
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: undefined },
  });
  await db.call('CreateTable', {
    TableName: table,
    AttributeDefinitions: [{ AttributeName: JOB_TABLE_SCHEMA.partitionKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: JOB_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return {
    store: new JobStore(db, table),
    db,
    close: async () => {
      db.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RecordedInvoke {
  target: FunctionTarget;
  payload: string;
  invocationType: InvocationType;
}

/** A Lambda client whose answer per call is `answer(call)`; every call is recorded. */
export function stubLambda(answer: (call: RecordedInvoke, signal: AbortSignal) => Promise<InvokeResult>): {
  invoke: (...args: Parameters<StubInvoke>) => Promise<InvokeResult>;
  calls: RecordedInvoke[];
} {
  const calls: RecordedInvoke[] = [];
  return {
    calls,
    invoke: (target, payload, signal, invocationType = 'RequestResponse') => {
      const call = { target, payload, invocationType };
      calls.push(call);
      return answer(call, signal);
    },
  };
}

type StubInvoke = (
  target: FunctionTarget,
  payload: string,
  signal: AbortSignal,
  invocationType?: InvocationType,
) => Promise<InvokeResult>;

export function jsonAnswer(value: unknown, functionError?: string): InvokeResult {
  return { functionError, payload: Buffer.from(JSON.stringify(value)), awsRequestId: 'aws-req' };
}
