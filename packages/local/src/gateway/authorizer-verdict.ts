/**
 * What every authorizer of the gateway (JWT, Lambda, IAM) is given and what it decides: admit the
 * request, adding its part of `requestContext.authorizer`, or refuse it with API Gateway's answer
 * and, for the request log, why — never the token, key or signature itself.
 */
import type { EventAuthorizer, HttpApiEventV2 } from './event-v2';
import type { GatewayResponse } from './gateway-responses';
import type { RouteMatch } from './router';

export interface AuthorizationRequest {
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  /** Lower-cased names, repeats comma-joined. */
  headers: Record<string, string>;
  body: Buffer;
  match: RouteMatch;
  /** The request path without the stage prefix (`/inference`). */
  pathInStage: string;
  /** The integration's event, built before authorization, without `requestContext.authorizer`. */
  event: HttpApiEventV2;
}

export type AuthorizerVerdict =
  | { admitted: true; authorizer: EventAuthorizer }
  | { admitted: false; response: GatewayResponse; reason: string };

export interface RouteAuthorizer {
  authorize(request: AuthorizationRequest): Promise<AuthorizerVerdict>;
}

export function refused(response: GatewayResponse, reason: string): AuthorizerVerdict {
  return { admitted: false, response, reason };
}
