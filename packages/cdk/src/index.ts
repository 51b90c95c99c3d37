// The config loader the construct's project comes from, so a CDK app names one package.
export { type LoadedProjectConfig, loadProjectConfig } from '@gatehouse/bundler';
export { ACCESS_LOG_FIELDS, accessLogFormat, CALLER_VARIABLE } from './access-log';
export { type CoreFunction, existingCoreArn, invokeStatement } from './core-functions';
export { checkDeadlines, EDGE_HEADROOM_MS } from './deadlines';
export { GatehouseConfigError } from './errors';
export type { GatehouseLogLevel } from './function-logging';
export { GatehouseApi, type GatehouseApiProps } from './gatehouse-api';
export { type GatehouseAppOptions, gatehouseApp } from './gatehouse-app';
export { GatehouseAuth } from './gatehouse-auth';
export { GatehouseJobs, type JobOptionsProps } from './gatehouse-jobs';
export { GatehouseStack, type GatehouseStackProps, STACK_OUTPUTS } from './gatehouse-stack';
export type { Throttling } from './http-api';
export type { NewUserPoolOptions } from './identity';
export { type EdgeBundleBuild, edgeCodeFromBuild } from './lambda-code';
export { type AlarmThresholds, FAILURE_OUTCOMES } from './monitoring';
export { webConfigFromOutputs } from './web-config-from-outputs';
