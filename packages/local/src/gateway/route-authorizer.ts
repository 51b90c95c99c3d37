/**
 * Which authorizer protects the API's protected routes (`authorization: 'jwt'` in the contract means
 * "whichever the API has"), chosen by one option as on the CDK construct: API Gateway's JWT
 * authorizer, a Lambda authorizer, IAM (SigV4), or none. Routes with `authorization: 'none'` stay
 * public in every mode. Also what each mode adds to the CORS allowed request headers, from the
 * contract's `AUTH_MODE_REQUEST_HEADERS`, the list the CDK construct uses.
 */
import { AUTH_MODE_REQUEST_HEADERS, type AuthMode, encodeClaims } from '@gatehouse/contract';
import type { AuthorizationRequest, AuthorizerVerdict, RouteAuthorizer } from './authorizer-verdict';
import { gatewayError } from './gateway-responses';
import { IamAuthorizer, type IamAuthorizerOptions } from './iam-authorizer';
import {
  AuthorizerConfigError,
  AuthorizerRejection,
  bearerChallenge,
  JWT_AUTHORIZER_LIMITS,
  JwtAuthorizer,
  type JwtAuthorizerOptions,
} from './jwt-authorizer';
import { LambdaAuthorizer, type LambdaAuthorizerContext, type LambdaAuthorizerOptions } from './lambda-authorizer';
import type { GatewayRoute } from './router';

export type GatewayAuthorizerOptions =
  /** API Gateway's JWT authorizer (the Cognito mode); `type` may be left out, JWT being the default as `cognito` is. */
  ({ type?: 'jwt' } & JwtAuthorizerOptions) | LambdaAuthorizerOptions | IamAuthorizerOptions | { type: 'none' };

export type GatewayAuthorizerType = NonNullable<GatewayAuthorizerOptions['type']>;

const AUTH_MODE_OF: Record<GatewayAuthorizerType, AuthMode> = {
  jwt: 'cognito',
  lambda: 'lambda',
  iam: 'iam',
  none: 'none',
};

/** Headers a browser must be allowed to send in this mode, beyond the API's CORS list. */
export function extraAllowHeaders(options: GatewayAuthorizerOptions): readonly string[] {
  return AUTH_MODE_REQUEST_HEADERS[AUTH_MODE_OF[options.type ?? 'jwt']];
}

/** The authorizer for protected routes, or undefined when the API has none. Throws `AuthorizerConfigError`. */
export function createRouteAuthorizer(
  options: GatewayAuthorizerOptions,
  routes: readonly GatewayRoute[],
  lambda: LambdaAuthorizerContext,
): RouteAuthorizer | undefined {
  switch (options.type) {
    case undefined:
    case 'jwt': {
      checkRouteScopes(routes);
      return new JwtRouteAuthorizer(new JwtAuthorizer(options));
    }
    case 'lambda':
      return new LambdaAuthorizer(options, lambda);
    case 'iam':
      return new IamAuthorizer(options);
    case 'none':
      return undefined;
    default:
      // Options read from a JSON file reach here unchecked: an unknown type must not leave the API open.
      throw new AuthorizerConfigError(`unknown authorizer type ${JSON.stringify((options as { type: unknown }).type)}`);
  }
}

/** Scopes only mean something to a JWT authorizer; API Gateway refuses more than 10 on a route. */
function checkRouteScopes(routes: readonly GatewayRoute[]): void {
  for (const route of routes) {
    if (route.scopes.length > JWT_AUTHORIZER_LIMITS.maxScopesPerRoute) {
      throw new AuthorizerConfigError(
        `route ${route.method} ${route.path} lists ${route.scopes.length} scopes; the limit is ${JWT_AUTHORIZER_LIMITS.maxScopesPerRoute}`,
      );
    }
  }
}

/** The JWT authorizer in the gateway's terms: claims as strings, `scopes` null on a route without scopes. */
class JwtRouteAuthorizer implements RouteAuthorizer {
  constructor(private readonly jwt: JwtAuthorizer) {}

  async authorize(request: AuthorizationRequest): Promise<AuthorizerVerdict> {
    const scopes = request.match.route.scopes;
    try {
      const token = await this.jwt.authorize(request.headers.authorization, scopes);
      return {
        admitted: true,
        authorizer: {
          jwt: {
            claims: encodeClaims(token.claims as Record<string, unknown>),
            scopes: scopes.length > 0 ? token.scopes : null,
          },
        },
      };
    } catch (error) {
      if (!(error instanceof AuthorizerRejection)) throw error;
      const challenge = bearerChallenge(error, scopes);
      return {
        admitted: false,
        response: gatewayError(error.status, challenge ? { 'www-authenticate': challenge } : {}),
        reason: error.message,
      };
    }
  }
}
