export type { LogSink } from './execution-environment';
export {
  type FunctionDefinition,
  FunctionDefinitionError,
  type FunctionIsolation,
  functionArn,
  LAMBDA_RUNTIMES,
  type LambdaRuntime,
  LOCAL_ACCOUNT_ID,
  type LocalFunctionDefinition,
  nodeBundle,
  type RemoteFunctionDefinition,
  type RemoteTarget,
} from './function-definition';
export { type FunctionErrorPayload, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from './function-errors';
export type { DirectInvokeOutcome } from './invoke-api';
export {
  type LambdaService,
  type LambdaServiceOptions,
  startLambdaService,
} from './lambda-service';
