/**
 * CloudWatch metrics in the Embedded Metric Format: a JSON log line that CloudWatch Logs turns into
 * metrics with no API call and no extra latency. The edge writes them into its one per-request log
 * line (see handler), so a request costs one line of log, not two.
 *
 * - `Requests` (Count) by `Service` and `Outcome` — the outcome is `success` or the problem code.
 * - `CoreLatency` (Milliseconds) by `Service`, only for requests that reached the core.
 */

export const METRICS_NAMESPACE = 'Gatehouse';

export interface RequestMetrics {
  service: string;
  outcome: string;
  coreLatencyMs: number | undefined;
  timestamp: number;
}

/** The EMF fields to merge into a log entry. */
export function emfFields(m: RequestMetrics): Record<string, unknown> {
  const directives: unknown[] = [
    {
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['Service', 'Outcome']],
      Metrics: [{ Name: 'Requests', Unit: 'Count' }],
    },
  ];
  const fields: Record<string, unknown> = { Service: m.service, Outcome: m.outcome, Requests: 1 };
  if (m.coreLatencyMs !== undefined) {
    directives.push({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['Service']],
      Metrics: [{ Name: 'CoreLatency', Unit: 'Milliseconds' }],
    });
    fields.CoreLatency = m.coreLatencyMs;
  }
  return { _aws: { Timestamp: m.timestamp, CloudWatchMetrics: directives }, ...fields };
}
