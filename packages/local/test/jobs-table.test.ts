/**
 * The local jobs table is used only once it is ACTIVE: a table still CREATING answers "Requested
 * resource not found" to reads, which failed the stack's start when its first read (the sweep of
 * interrupted jobs) came before the emulator's next timer turn.
 */
import { DynamoDbError } from '@gatehouse/edge/jobs';
import { describe, expect, it } from 'vitest';
import { ensureJobsTable } from '../src/dynamodb';

/** A DynamoDB that reports the table CREATING for its first `creatingFor` descriptions. */
function fakeDb(creatingFor: number, existing = false) {
  const calls: string[] = [];
  let described = 0;
  return {
    calls,
    call: async (operation: string): Promise<Record<string, unknown>> => {
      calls.push(operation);
      if (operation === 'CreateTable' && existing) {
        throw new DynamoDbError('ResourceInUseException', 'Table already exists: jobs', 400);
      }
      if (operation === 'DescribeTable') {
        described++;
        return { Table: { TableStatus: described <= creatingFor ? 'CREATING' : 'ACTIVE' } };
      }
      return {};
    },
  };
}

describe('ensureJobsTable', () => {
  it('returns only once a new table is ACTIVE', async () => {
    // Prepare
    const db = fakeDb(2);
    // Act
    await ensureJobsTable(db, 'jobs');
    // Assess
    expect(db.calls).toEqual(['CreateTable', 'DescribeTable', 'DescribeTable', 'DescribeTable']);
  });

  it('waits for a table that already exists (another start may still be creating it)', async () => {
    // Prepare
    const db = fakeDb(1, true);
    // Act
    await ensureJobsTable(db, 'jobs');
    // Assess
    expect(db.calls).toEqual(['CreateTable', 'DescribeTable', 'DescribeTable']);
  });
});
