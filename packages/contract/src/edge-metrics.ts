/**
 * The edge's CloudWatch metrics, named once: the edge writes them (Embedded Metric Format) and the
 * construct's alarms and dashboard watch them through the same names and the same `Service`
 * dimension, so no deployment can alarm on a metric nobody writes.
 *
 * - `Requests` (Count) by `Service` and `Outcome` — the outcome is `success` or the problem code.
 * - `CoreLatency` (Milliseconds) by `Service`, only for requests that reached the core.
 */
export const EDGE_METRICS = {
  namespace: 'Gatehouse',
  requests: 'Requests',
  coreLatency: 'CoreLatency',
  /** The outcome of a request the edge served. */
  success: 'success',
} as const;

/**
 * The `Service` dimension of a project's edge: stable across deployments of one project (its
 * config's `name`), distinct between projects sharing an account.
 *
 * @example
 * edgeMetricService('figures') // → 'figures-edge'
 */
export function edgeMetricService(projectName: string): string {
  return `${projectName}-edge`;
}
