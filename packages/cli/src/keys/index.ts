export { KEYS_USAGE, keysCommand } from './keys-command';
