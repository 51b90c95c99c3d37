/**
 * `@gatehouse/local`: the local stack and its parts, for `gatehouse dev`, `gatehouse invoke`,
 * `doctor` and `keys`, and for the tests and benches — exactly what those use, nothing more.
 */
export { GATEWAY_MESSAGES, type GatewayLogEntry } from './gateway';
export { LOCAL_CREDENTIAL_FILE, type LocalCredential, loadLocalCredential } from './iam';
export {
  ADMIN_USER,
  CognitoApiError,
  callCognito,
  DEMO_USER,
  SEED_USERS,
  signIn,
  signingKeyFile,
  startIdentity,
} from './identity';
export {
  type FunctionDefinition,
  FunctionDefinitionError,
  type FunctionIsolation,
  type LambdaRuntime,
  type LambdaService,
  type LocalFunctionDefinition,
  nodeBundle,
  startLambdaService,
} from './lambda';
export { PortInUseError } from './net/listen';
export { type SsmEmulator, startSsmEmulator } from './ssm';
export {
  type CoreInvocation,
  CoreNotRunnableError,
  DEV_PORTS,
  invokeCore,
  invokeRemoteCore,
  LOCAL_CONFIG_FILE,
  LOCAL_SERVICES_FILE,
  type LocalConfig,
  LocalConfigMissingError,
  type LocalServices,
  LocalServicesError,
  type ProjectChange,
  type RunningStack,
  readLocalConfig,
  readServices,
  StackAuthError,
  type StackOptions,
  StackOriginError,
  type StackPorts,
  startStack,
  type WebServerStarter,
  webConfig,
  writeLocalConfig,
} from './stack';
