export { LOCAL_CONFIG_FILE, type LocalConfig, LocalConfigMissingError, readLocalConfig } from './local-config';
export {
  DEV_PORTS,
  type RunningStack,
  type StackLogSource,
  type StackOptions,
  type StackPorts,
  startStack,
  webConfig,
} from './start-stack';
