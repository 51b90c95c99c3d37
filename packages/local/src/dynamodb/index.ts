export { type DynamoDbService, startDynamoDb } from './dynamodb-service';
export { ensureJobsTable, markInterruptedJobs } from './jobs-table';
