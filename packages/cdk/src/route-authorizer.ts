/**
 * Who admits callers to the protected routes, chosen by one option (`auth`, the contract's
 * `AuthMode`): API Gateway's JWT authorizer on the Cognito pool (the default), a Lambda authorizer
 * (allow-listed emails, or API keys kept hashed in SSM), IAM (SigV4-signed callers), or nobody —
 * public, which must be acknowledged in so many words and is warned about at every synth. The edge
 * reads the caller from whichever admitted them, so nothing else changes between modes.
 */
import {
  AUTH_MODE_REQUEST_HEADERS,
  type AuthMode,
  apiKeysParameterName,
  LAMBDA_AUTHORIZER,
  type LambdaAuthorizerMode,
  type LambdaAuthorizerOption,
  writeAuthorizerEnvironment,
} from '@gatehouse/contract';
import { Annotations, ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { HttpNoneAuthorizer, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpIamAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
  HttpUserPoolAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { GatehouseConfigError } from './errors';
import { loggingProps } from './function-logging';
import { FunctionRole } from './function-role';
import type { GatehouseAuth } from './gatehouse-auth';
import type { Identity } from './identity';
import { acknowledgeRuntime, BUNDLE_HANDLER, bundledCode } from './lambda-code';
import { nagResourceFinding } from './nag-finding';

export interface RouteAuthorizer {
  mode: AuthMode;
  /** What protects the contract's protected routes; `HttpNoneAuthorizer` in `none` mode. */
  authorizer: IHttpRouteAuthorizer;
  /** Headers the browser must be allowed to send in this mode, beyond the contract's list. */
  extraAllowHeaders: readonly string[];
  /** The Lambda authorizer, in `lambda` mode. */
  fn?: LambdaFunction;
}

export interface RouteAuthorizerOptions {
  /** The pool, in the modes that read a Cognito token (`GatehouseAuth.usesUserPool`). */
  identity: Identity | undefined;
  authorizerName: string;
  identitySource: string;
  tokenUse: 'id' | 'access';
  logRetention: RetentionDays;
  tracing: boolean;
  sourceMaps: boolean;
}

export function createRouteAuthorizer(
  scope: Construct,
  strategy: GatehouseAuth,
  opts: RouteAuthorizerOptions,
): RouteAuthorizer {
  const auth = strategy.option;
  const extraAllowHeaders = AUTH_MODE_REQUEST_HEADERS[auth.mode];
  switch (auth.mode) {
    case 'cognito': {
      const identity = requireIdentity(scope, opts);
      return {
        mode: auth.mode,
        extraAllowHeaders,
        authorizer: new HttpUserPoolAuthorizer('Authorizer', identity.userPool, {
          authorizerName: opts.authorizerName,
          identitySource: [opts.identitySource],
          userPoolClients: [...identity.clients],
          userPoolRegion: identity.region,
        }),
      };
    }
    case 'iam':
      return { mode: auth.mode, extraAllowHeaders, authorizer: new HttpIamAuthorizer() };
    case 'none':
      Annotations.of(scope).addWarningV2(
        'gatehouse:public-api',
        'auth is "none": the API is public and every caller reaches the core. Throttling is the only limit.',
      );
      return { mode: auth.mode, extraAllowHeaders, authorizer: new HttpNoneAuthorizer() };
    case 'lambda':
      return lambdaAuthorizer(scope, auth.lambda, opts);
  }
}

function lambdaAuthorizer(
  scope: Construct,
  settings: LambdaAuthorizerOption,
  opts: RouteAuthorizerOptions,
): RouteAuthorizer {
  const { role, logGroup } = new FunctionRole(scope, 'AuthorizerRole', {
    description: 'gatehouse Lambda authorizer',
    retention: opts.logRetention,
    tracing: opts.tracing,
  });
  const fn = new LambdaFunction(scope, 'Authorizer', {
    description: `gatehouse Lambda authorizer (${settings.kind})`,
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    code: bundledCode('authorizer', { sourceMaps: opts.sourceMaps }),
    handler: BUNDLE_HANDLER,
    memorySize: 256,
    timeout: Duration.seconds(5),
    role,
    logGroup,
    tracing: opts.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
    ...loggingProps('info'),
    environment: {
      ...authorizerEnvironment(scope, settings, opts),
      ...(opts.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
    },
  });
  acknowledgeRuntime(fn);
  if (settings.kind === 'api-key') grantKeysParameter(scope, role, apiKeysParameterName(settings));
  const kind: LambdaAuthorizerMode = settings.kind;
  return {
    mode: 'lambda',
    extraAllowHeaders: AUTH_MODE_REQUEST_HEADERS.lambda,
    fn,
    authorizer: new HttpLambdaAuthorizer('Authorizer', fn, {
      authorizerName: `gatehouse-${kind}`,
      identitySource: [LAMBDA_AUTHORIZER.identitySource[kind]],
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.seconds(LAMBDA_AUTHORIZER.resultsCacheTtlSeconds),
    }),
  };
}

function requireIdentity(scope: Construct, opts: RouteAuthorizerOptions): Identity {
  if (!opts.identity) throw new GatehouseConfigError('this auth mode reads Cognito tokens but has no user pool', scope);
  return opts.identity;
}

function authorizerEnvironment(
  scope: Construct,
  settings: LambdaAuthorizerOption,
  opts: RouteAuthorizerOptions,
): Record<string, string> {
  if (settings.kind === 'email-allowlist') {
    const identity = requireIdentity(scope, opts);
    return writeAuthorizerEnvironment({
      mode: 'email-allowlist',
      userPoolId: identity.userPool.userPoolId,
      clientIds: identity.clients.map((c) => c.userPoolClientId),
      tokenUse: opts.tokenUse,
      allowedEmails: settings.allowedEmails,
    });
  }
  return writeAuthorizerEnvironment({
    mode: 'api-key',
    keysParameter: apiKeysParameterName(settings),
    ...(settings.cacheSeconds !== undefined ? { cacheSeconds: settings.cacheSeconds } : {}),
  });
}

/** Read the one parameter, and decrypt it only through SSM (SecureString under the account's key). */
function grantKeysParameter(scope: Construct, role: FunctionRole['role'], name: string): void {
  const stack = Stack.of(scope);
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadApiKeys',
      actions: ['ssm:GetParameter'],
      resources: [
        stack.formatArn({
          service: 'ssm',
          resource: 'parameter',
          resourceName: name.slice(1),
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    }),
  );
  const kmsKeys = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'DecryptApiKeysThroughSsm',
      actions: ['kms:Decrypt'],
      resources: [kmsKeys],
      conditions: { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.amazonaws.com` } },
    }),
  );
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[${nagResourceFinding(scope, kmsKeys)}]`,
    reason:
      'The SecureString may be encrypted with the AWS-managed or a customer key whose id is not known at deploy; ' +
      'kms:Decrypt is limited to calls made through SSM (kms:ViaService) in this account and region.',
  });
}
