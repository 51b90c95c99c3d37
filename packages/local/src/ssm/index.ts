export { type SsmEmulator, startSsmEmulator } from './ssm-emulator';
