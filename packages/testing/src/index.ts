/** `@gatehouse/testing`: test support shared by the packages' tests (never published). */
export { emulatorKey, emulatorKid, mintEmulatorToken } from './emulator-tokens';
export { localKeyStore } from './local-key-store';
export {
  type InferenceAnswer,
  type InferenceRequest,
  SAMPLE_API,
  SAMPLE_CONFIG,
  sampleApiProps,
} from './sample-project';
export { buildWheelhouse, type TinyWheel } from './wheelhouse';
