/** `@gatehouse/testing`: test support shared by the packages' tests (never published). */

export * from './answer-invariants';
export * from './attack-stack';
export { emulatorKey, emulatorKid, mintEmulatorToken } from './emulator-tokens';
export * from './fuzz-requests';
export * from './fuzz-run';
export { localKeyStore } from './local-key-store';
export * from './raw-http';
export {
  type InferenceAnswer,
  type InferenceRequest,
  SAMPLE_API,
  SAMPLE_CONFIG,
  sampleApiProps,
} from './sample-project';
export { buildWheelhouse, type TinyWheel } from './wheelhouse';
