/**
 * The Lambda entry point. Configuration and the invoke client are built once, at cold start: a bad
 * environment fails init with a message naming the variable, and the keep-alive connection to the
 * Lambda service is reused by every request this container serves.
 */
import { FUNCTION_NAMES } from '@gatehouse/contract';
import { loadAwsEnvironment } from './aws-environment';
import { loadConfig } from './config';
import { createEdgeHandler } from './edge';
import { LambdaInvokeClient } from './lambda-invoke-client';
import { Logger } from './logger';

const config = loadConfig(process.env);
const service = FUNCTION_NAMES.edge;

export const handler = createEdgeHandler({
  config,
  client: new LambdaInvokeClient(loadAwsEnvironment(process.env)),
  logger: new Logger(config.logLevel, service),
  service,
});
