/** The local API Gateway HTTP API emulator: `startGateway` and the pieces other tools reuse. */

export type { EventAuthorizer, HttpApiEventV2, IamAuthorizerFields } from './event-v2';
export { GATEWAY_MESSAGES } from './gateway-responses';
export type { IamAuthorizerOptions } from './iam-authorizer';
export { JWKS_LIMITS } from './jwks-source';
export { AuthorizerConfigError, JWT_AUTHORIZER_LIMITS, type JwtAuthorizerOptions } from './jwt-authorizer';
export { type AuthorizerEventV2, LAMBDA_AUTHORIZER_LIMITS, type LambdaAuthorizerOptions } from './lambda-authorizer';
export { REQUEST_LIMITS, REQUEST_TIMEOUTS } from './limits';
export { extraAllowHeaders, type GatewayAuthorizerOptions } from './route-authorizer';
export { type GatewayApiDescription, type GatewayRoute, matchRoute, resolveStage } from './router';
export { type GatewayLogEntry, type GatewayOptions, type RunningGateway, startGateway } from './server';
