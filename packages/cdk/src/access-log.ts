/**
 * The stage's access log line: one JSON object per request, with the fields that answer "what
 * happened to this call" — which route, what status, how long the gateway and the edge took, why the
 * gateway or the authorizer refused it, what the integration answered, and who called (never the
 * token). Who called is read from the variable of the mode that admitted the caller: the JWT's
 * `sub`, the Lambda authorizer's context, or the SigV4 caller's ARN.
 */
import type { AuthMode } from '@gatehouse/contract';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

/**
 * Field name → HTTP API `$context` variable. API Gateway writes `-` for a value it does not have (no
 * integration latency when the authorizer refused), so only fields that are always numbers go unquoted.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
  authorizerError: '$context.authorizer.error',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTimeEpoch',
  protocol: '$context.protocol',
} as const;

/** Where each mode's caller id is; a public API has none. */
export const CALLER_VARIABLE: Record<AuthMode, string | undefined> = {
  cognito: '$context.authorizer.claims.sub',
  lambda: '$context.authorizer.sub',
  iam: '$context.identity.userArn',
  none: undefined,
};

const NUMERIC_FIELDS = new Set(['status', 'responseLatency', 'requestTime']);

export function accessLogFormat(mode: AuthMode): AccessLogFormat {
  const caller = CALLER_VARIABLE[mode];
  const fields: Record<string, string> = { ...ACCESS_LOG_FIELDS, ...(caller ? { sub: caller } : {}) };
  const parts = Object.entries(fields).map(([name, variable]) =>
    NUMERIC_FIELDS.has(name) ? `"${name}":${variable}` : `"${name}":"${variable}"`,
  );
  return AccessLogFormat.custom(`{${parts.join(',')}}`);
}
