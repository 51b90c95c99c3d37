export {
  type CoreInvocation,
  CoreNotRunnableError,
  type InvokeCoreOptions,
  invokeCore,
  invokeRemoteCore,
  type RemoteCoreInvocation,
  type RemoteInvokeOptions,
} from './invoke-core';
export {
  LOCAL_CONFIG_FILE,
  LOCAL_SERVICES_FILE,
  type LocalConfig,
  LocalConfigMissingError,
  type LocalServices,
  LocalServicesError,
  readLocalConfig,
  readServices,
  writeLocalConfig,
} from './local-config';
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
