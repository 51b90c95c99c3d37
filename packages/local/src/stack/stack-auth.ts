/**
 * The `auth` option of the local stack — the contract's `AuthOption`, the one the CDK construct
 * takes — turned into what runs locally: the gateway's authorizer, the Lambda authorizer function
 * (the real `@gatehouse/authorizer` bundle, configured as the construct configures it, but pointed
 * at the local issuer and Parameter Store), the local IAM credential, and the edge's `AUTH_MODE`.
 */
import {
  type AuthMode,
  type AuthOption,
  apiKeysParameterName,
  authOptionProblem,
  LAMBDA_AUTHORIZER,
  type LambdaAuthorizerOption,
  type TokenUse,
  writeAuthorizerEnvironment,
} from '@gatehouse/contract';
import type { GatewayAuthorizerOptions } from '../gateway';
import { type LocalCredential, loadLocalCredential } from '../iam';
import type { IdentityService } from '../identity';
import { type FunctionDefinition, nodeBundle } from '../lambda';

/** The Lambda authorizer's name in the local Lambda service. */
export const AUTHORIZER_FUNCTION_NAME = 'gatehouse-authorizer';

/** As on AWS (the construct gives it the same). */
/** Unreserved on AWS like the edge: locally it must not be what throttles a burst (see start-stack.ts). */
const AUTHORIZER = { timeoutSeconds: 5, memoryMb: 256, maxWorkers: 64 };

export const PUBLIC_API_WARNING =
  'auth is "none": the local API is public — every caller reaches the core without signing in.';

/** A bad `auth` option: refused before anything starts. */
export class StackAuthError extends Error {
  override name = 'StackAuthError';
}

export interface StackAuth {
  mode: AuthMode;
  /** The bundles the mode needs beyond the edge and the core. */
  bundles: string[];
  /** Only in `iam` mode: the credential requests must be signed with. */
  iamCredential?: LocalCredential;
}

export function resolveStackAuth(auth: AuthOption, stateDir: string): StackAuth {
  const problem = authOptionProblem(auth);
  if (problem) throw new StackAuthError(problem);
  switch (auth.mode) {
    case 'lambda':
      return { mode: auth.mode, bundles: ['authorizer'] };
    case 'iam':
      return { mode: auth.mode, bundles: [], iamCredential: loadLocalCredential(stateDir) };
    default:
      return { mode: auth.mode, bundles: [] };
  }
}

/** The authorizer function for `lambda` mode, with the environment the construct would give it. */
export function authorizerFunction(
  settings: LambdaAuthorizerOption,
  bundlePath: string,
  identity: Pick<IdentityService, 'userPoolId' | 'clientId' | 'issuer' | 'jwksUri'>,
  ssmEndpoint: string,
  tokenUse: TokenUse,
): FunctionDefinition {
  const environment = writeAuthorizerEnvironment(
    settings.kind === 'email-allowlist'
      ? {
          mode: 'email-allowlist',
          userPoolId: identity.userPoolId,
          clientIds: [identity.clientId],
          tokenUse,
          allowedEmails: settings.allowedEmails,
          issuer: identity.issuer,
          jwksUri: identity.jwksUri,
        }
      : {
          mode: 'api-key',
          keysParameter: apiKeysParameterName(settings),
          ...(settings.cacheSeconds !== undefined ? { cacheSeconds: settings.cacheSeconds } : {}),
          ssmEndpoint,
        },
  );
  return { name: AUTHORIZER_FUNCTION_NAME, ...nodeBundle(bundlePath), ...AUTHORIZER, environment };
}

/** What protects the gateway's protected routes in this mode. */
export function gatewayAuthorizer(
  auth: AuthOption,
  stackAuth: StackAuth,
  identity: Pick<IdentityService, 'issuer' | 'clientId' | 'jwksUri' | 'region'>,
  resultsCacheTtlSeconds: number,
): GatewayAuthorizerOptions {
  switch (auth.mode) {
    case 'cognito':
      return { type: 'jwt', issuer: identity.issuer, audiences: [identity.clientId], jwksUri: identity.jwksUri };
    case 'lambda':
      return {
        type: 'lambda',
        functionName: AUTHORIZER_FUNCTION_NAME,
        identitySource: [LAMBDA_AUTHORIZER.identitySource[auth.lambda.kind]],
        resultsCacheTtlSeconds,
        enableSimpleResponses: true,
      };
    case 'iam': {
      const credential = stackAuth.iamCredential;
      if (!credential) throw new StackAuthError('iam mode started without its local credential');
      return {
        type: 'iam',
        region: identity.region,
        lookup: (accessKeyId) => (accessKeyId === credential.accessKeyId ? credential : undefined),
      };
    }
    case 'none':
      return { type: 'none' };
  }
}
