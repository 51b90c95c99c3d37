/** `@gatehouse/local`: the local stack and its parts, for `gatehouse dev`, tests and benches. */
export { GATEWAY_MESSAGES, type GatewayLogEntry } from './gateway';
export { LOCAL_CREDENTIAL_FILE, type LocalCredential, loadLocalCredential } from './iam';
export * from './identity';
export * from './lambda';
export { PortInUseError } from './net/listen';
export { type SsmEmulator, startSsmEmulator } from './ssm';
export * from './stack';
