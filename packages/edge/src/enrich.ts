/**
 * Builds what the core receives. `enriched` (the default): the validated input, the route's path
 * parameters, the caller's identity, and facts about the request only the gateway can vouch for —
 * `sourceIp` comes from `requestContext.http.sourceIp` (the address API Gateway saw), never from
 * `X-Forwarded-For`, which any client can write. `input`: the validated input alone.
 */
import type { CoreIdentity, CorePayload, PayloadMode, RequestMeta } from '@gatehouse/contract';

export interface GatewayRequestFacts {
  requestId: string;
  routeKey: string;
  sourceIp: string | undefined;
  userAgent: string | undefined;
  /** `requestContext.timeEpoch` (ms). */
  timeEpoch: number | undefined;
}

export function corePayload(
  mode: PayloadMode,
  input: unknown,
  pathParameters: Record<string, string>,
  identity: CoreIdentity,
  facts: GatewayRequestFacts,
): CorePayload | unknown {
  if (mode === 'input') return input;
  return { input, pathParameters, identity, requestMeta: requestMeta(facts) };
}

function requestMeta(facts: GatewayRequestFacts): RequestMeta {
  const epoch = typeof facts.timeEpoch === 'number' && Number.isFinite(facts.timeEpoch) ? facts.timeEpoch : Date.now();
  return {
    requestId: facts.requestId,
    sourceIp: facts.sourceIp ?? 'unknown',
    userAgent: facts.userAgent || null,
    receivedAt: new Date(epoch).toISOString(),
    routeKey: facts.routeKey,
  };
}
