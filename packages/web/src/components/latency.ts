/**
 * Durations as a person reads them: an edge that took 0.4 ms is "<1 ms", not "0 ms"; below 10 ms
 * one decimal says more than rounding; above, whole milliseconds.
 */
import type { CallTiming } from '@gatehouse/client';

export function formatMs(ms: number): string {
  if (ms < 1) return '<1 ms';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

export function latencyText(timing: CallTiming): string {
  const parts = [`${formatMs(timing.totalMs)} total in the browser`];
  if (timing.edgeMs !== undefined) parts.push(`edge ${formatMs(timing.edgeMs)}`);
  if (timing.coreMs !== undefined) parts.push(`core ${formatMs(timing.coreMs)}`);
  return parts.join(' · ');
}
