/**
 * Reads the `Server-Timing` header the edge sends (`edge;dur=12.3, core;dur=8.1`), so the app can
 * show where the time went: in the browser and network, in the edge, or in the core.
 */

/** Durations in milliseconds by metric name; metrics without a numeric `dur` are left out. */
export function parseServerTiming(header: string | null | undefined): Record<string, number> {
  const timings: Record<string, number> = {};
  if (!header) return timings;
  for (const metric of header.split(',')) {
    const [rawName, ...params] = metric.split(';');
    const name = rawName?.trim();
    if (!name) continue;
    for (const param of params) {
      const [key, rawValue] = param.split('=');
      if (key?.trim().toLowerCase() !== 'dur' || rawValue === undefined) continue;
      const value = Number(rawValue.trim().replace(/^"|"$/g, ''));
      if (Number.isFinite(value) && value >= 0) timings[name] = value;
    }
  }
  return timings;
}
