/**
 * CloudWatch metrics in the Embedded Metric Format: a JSON log line that CloudWatch Logs turns into
 * metrics with no API call and no extra latency. The edge writes them into its one per-request log
 * line (see handler), so a request costs one line of log, not two. Their names and dimensions are
 * the contract's `EDGE_METRICS`, which the construct's alarms watch.
 */
import { EDGE_METRICS } from '@gatehouse/contract';

export interface RequestMetrics {
  service: string;
  outcome: string;
  coreLatencyMs: number | undefined;
  timestamp: number;
}

/**
 * The directives are the same for every request, so they are built once per container; the log
 * line only serialises them, and a request's own values go beside them.
 */
const REQUESTS_DIRECTIVE = {
  Namespace: EDGE_METRICS.namespace,
  Dimensions: [['Service', 'Outcome']],
  Metrics: [{ Name: EDGE_METRICS.requests, Unit: 'Count' }],
};
const CORE_LATENCY_DIRECTIVE = {
  Namespace: EDGE_METRICS.namespace,
  Dimensions: [['Service']],
  Metrics: [{ Name: EDGE_METRICS.coreLatency, Unit: 'Milliseconds' }],
};
const WITHOUT_CORE: readonly unknown[] = [REQUESTS_DIRECTIVE];
const WITH_CORE: readonly unknown[] = [REQUESTS_DIRECTIVE, CORE_LATENCY_DIRECTIVE];

/** The EMF fields to merge into a log entry. */
export function emfFields(m: RequestMetrics): Record<string, unknown> {
  const fields: Record<string, unknown> = { Service: m.service, Outcome: m.outcome, [EDGE_METRICS.requests]: 1 };
  if (m.coreLatencyMs !== undefined) fields[EDGE_METRICS.coreLatency] = m.coreLatencyMs;
  const directives = m.coreLatencyMs === undefined ? WITHOUT_CORE : WITH_CORE;
  return { _aws: { Timestamp: m.timestamp, CloudWatchMetrics: directives }, ...fields };
}
