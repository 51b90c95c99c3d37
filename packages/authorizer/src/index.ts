export { type ApiKeyRecord, findApiKey, generateApiKey, hashApiKey, parseApiKeyRecords } from './api-keys';
export { type Authorize, createAuthorizer, type Decision } from './authorize';
export type { AuthorizerContext } from './authorizer-context';
export { KeyStore } from './key-store';
export { createSsmParameterClient, SsmError, type SsmParameterClient } from './ssm-parameter-client';
export { createTokenVerifier, TokenRejectedError } from './token-verifier';
