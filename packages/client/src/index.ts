export * from './client-errors';
export * from './describe-error';
export * from './gatehouse-client';
export type { JobHandle, JobWaitOptions } from './job-handle';
export * from './retry-after';
export * from './route-path';
export * from './server-timing';
