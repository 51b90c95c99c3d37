export { type FunctionDefinition, functionArn, LOCAL_ACCOUNT_ID } from './function-definition';
export { type FunctionErrorPayload, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from './function-errors';
export { type LambdaService, type LambdaServiceOptions, LOCAL_CREDENTIALS, startLambdaService } from './lambda-service';
export type { LogSink } from './worker';
