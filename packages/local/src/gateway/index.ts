/** The local API Gateway HTTP API emulator: `startGateway` and the pieces other tools reuse. */

export type { HttpApiEventV2 } from './event-v2';
export { GATEWAY_MESSAGES } from './gateway-responses';
export { JWKS_LIMITS } from './jwks-source';
export { AuthorizerConfigError, JWT_AUTHORIZER_LIMITS } from './jwt-authorizer';
export { REQUEST_LIMITS } from './limits';
export { type GatewayApiDescription, type GatewayRoute, matchRoute, resolveStage } from './router';
export { type GatewayLogEntry, type GatewayOptions, type RunningGateway, startGateway } from './server';
