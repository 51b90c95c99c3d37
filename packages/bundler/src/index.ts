export { authorizerBundleOptions } from './authorizer-bundle';
export { type BuiltBundles, BundleBuildError, buildAll } from './bundle-builder';
export { edgeBundleOptions, jobRunnerBundleOptions } from './edge-bundle';
export { lambdaBuildOptions } from './lambda-build-options';
export {
  ConfigFileError,
  DEFAULT_CONFIG_FILE,
  type LoadedProjectConfig,
  loadProjectConfig,
} from './load-project-config';
export { findNativeAddons, nativeAddonMessage } from './native-addons';
export { HandlerFileError, type NodeCoreBundle, nodeCoreBundle } from './node-core-bundle';
