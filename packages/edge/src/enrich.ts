/**
 * Builds what the core receives: the validated input, the caller's identity, and facts about the
 * request that only the gateway can vouch for. `sourceIp` comes from `requestContext.http.sourceIp`
 * (the address API Gateway saw), never from `X-Forwarded-For`, which any client can write.
 */
import type { CoreIdentity, CorePayload, InferenceRequest, RequestMeta } from '@gatehouse/contract';

export interface GatewayRequestFacts {
  requestId: string;
  sourceIp: string | undefined;
  userAgent: string | undefined;
  /** `requestContext.timeEpoch` (ms). */
  timeEpoch: number | undefined;
}

export function enrich(input: InferenceRequest, identity: CoreIdentity, facts: GatewayRequestFacts): CorePayload {
  return { input, identity, requestMeta: requestMeta(facts) };
}

function requestMeta(facts: GatewayRequestFacts): RequestMeta {
  const epoch = typeof facts.timeEpoch === 'number' && Number.isFinite(facts.timeEpoch) ? facts.timeEpoch : Date.now();
  return {
    requestId: facts.requestId,
    sourceIp: facts.sourceIp ?? 'unknown',
    userAgent: facts.userAgent || null,
    receivedAt: new Date(epoch).toISOString(),
  };
}
