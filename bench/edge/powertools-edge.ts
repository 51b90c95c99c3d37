/**
 * Powertools Logger and Metrics made at init, as an edge using them would: bundled by the benchmark
 * to measure what they alone add to size and cold init; not shipped.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const logger = new Logger({ serviceName: 'gatehouse-edge' });
const metrics = new Metrics({ namespace: 'Gatehouse', serviceName: 'gatehouse-edge' });

export async function handler(): Promise<void> {
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  logger.info('request');
  metrics.publishStoredMetrics();
}
