/**
 * The stage's access log line: one JSON object per request, with the fields that answer "what
 * happened to this call" — which route, what status, how long the gateway and the edge took, why the
 * authorizer refused it, and who called (the token's `sub`, never the token).
 */
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
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTimeEpoch',
  protocol: '$context.protocol',
} as const;

const NUMERIC_FIELDS = new Set(['status', 'responseLatency', 'requestTime']);

export function accessLogFormat(): AccessLogFormat {
  const parts = Object.entries(ACCESS_LOG_FIELDS).map(([name, variable]) =>
    NUMERIC_FIELDS.has(name) ? `"${name}":${variable}` : `"${name}":"${variable}"`,
  );
  return AccessLogFormat.custom(`{${parts.join(',')}}`);
}
