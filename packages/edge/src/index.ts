export { type AwsCredentials, type AwsEnvironment, loadAwsEnvironment } from './aws-environment';
export { DEFAULTS, type EdgeConfig, type Environment, loadConfig, type TokenUse } from './config';
export { ConfigError } from './config-error';
export { createEdgeHandler, type EdgeContext, type EdgeDependencies, type EdgeHandler } from './edge';
export { type FunctionTarget, parseFunctionTarget } from './function-target';
export * from './invoke-errors';
export { LambdaInvokeClient } from './lambda-invoke-client';
export { LOG_LEVELS, Logger, type LogLevel } from './logger';
