export {
  LOCAL_CONFIG_FILE,
  type LocalConfig,
  LocalConfigMissingError,
  type LocalServices,
  readLocalConfig,
  writeLocalConfig,
} from './local-config';
export { LOCAL_IAM_CREDENTIALS_FILE, loadLocalIamCredential } from './local-iam-credential';
export { type ProjectChange, projectChange } from './project-change';
export { AUTHORIZER_FUNCTION_NAME, PUBLIC_API_WARNING, StackAuthError } from './stack-auth';
export {
  DEV_PORTS,
  type RunningStack,
  type StackLogSource,
  type StackOptions,
  StackOriginError,
  type StackPorts,
  startStack,
  type WebServerStarter,
  webConfig,
} from './start-stack';
