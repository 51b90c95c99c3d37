export { KEYS_USAGE, type KeysIo, keysCommand } from './keys-command';
