/**
 * The three deadlines that nest inside each other, checked at synth so a wrong combination never
 * reaches AWS: API Gateway gives up on the integration at 30 s (fixed for HTTP APIs), the edge
 * Lambda must finish before that, and the edge's deadline for the core must leave the edge time to
 * turn a core timeout into a readable 504 instead of being killed mid-answer.
 */
import { HTTP_API_INTEGRATION_TIMEOUT_MS } from '@gatehouse/contract';
import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GatehouseConfigError } from './errors';

/** Time the edge keeps for itself after the core's deadline: log, map the outcome, answer. */
export const EDGE_HEADROOM_MS = 1_000;

export const DEFAULT_EDGE_TIMEOUT = Duration.seconds(10);
export const DEFAULT_CORE_TIMEOUT = Duration.seconds(8);

export interface Deadlines {
  edgeTimeout: Duration;
  coreTimeoutMs: number;
}

export function checkDeadlines(
  scope: Construct,
  edgeTimeout = DEFAULT_EDGE_TIMEOUT,
  coreTimeout = DEFAULT_CORE_TIMEOUT,
): Deadlines {
  if (edgeTimeout.isUnresolved() || coreTimeout.isUnresolved()) {
    throw new GatehouseConfigError('edgeTimeout and coreTimeout must be concrete durations, not tokens', scope);
  }
  const edgeMs = edgeTimeout.toMilliseconds();
  const coreMs = coreTimeout.toMilliseconds();
  const ceiling = HTTP_API_INTEGRATION_TIMEOUT_MS;
  if (edgeMs % 1000 !== 0 || edgeMs < 1000) {
    throw new GatehouseConfigError(
      `edgeTimeout must be a whole number of seconds, at least 1 s (got ${edgeMs} ms)`,
      scope,
    );
  }
  if (edgeMs >= ceiling) {
    throw new GatehouseConfigError(
      `edgeTimeout (${edgeMs / 1000} s) must be below API Gateway's ${ceiling / 1000} s integration timeout, ` +
        `which HTTP APIs cannot raise: past it the caller gets 503 while the edge keeps running. Use at most ${ceiling / 1000 - 1} s.`,
      scope,
    );
  }
  if (coreMs <= 0) {
    throw new GatehouseConfigError(`coreTimeout must be positive (got ${coreMs} ms)`, scope);
  }
  if (coreMs > edgeMs - EDGE_HEADROOM_MS) {
    throw new GatehouseConfigError(
      `coreTimeout (${coreMs} ms) must end at least ${EDGE_HEADROOM_MS} ms before edgeTimeout (${edgeMs} ms), ` +
        `so the edge can answer 504 when the core is slow instead of being killed by Lambda (500 with no body). ` +
        `Lower coreTimeout to ${edgeMs - EDGE_HEADROOM_MS} ms or raise edgeTimeout.`,
      scope,
    );
  }
  return { edgeTimeout, coreTimeoutMs: coreMs };
}
