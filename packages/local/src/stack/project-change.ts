/**
 * What changed between two versions of a project config while `gatehouse dev` runs, in one line a
 * developer reads, and whether the change can be served by reloading the edge alone (a schema, an
 * example, a description: all inside the edge bundle) or needs the stack restarted with the new
 * config (routes, cores, origins, auth, limits — which the gateway, the Lambda service and the
 * edge's environment are made from).
 */
import type { ResolvedCore, ResolvedProjectConfig, ResolvedRoute } from '@gatehouse/contract';

export interface ProjectChange {
  /** Nothing that the stack is built from changed: the rebuilt edge serves the new config. */
  edgeOnly: boolean;
  /** `routes +GET /items/{id} -POST /x; cores ~ask; origins` — empty when only what the edge bundles changed. */
  summary: string;
}

export function projectChange(before: ResolvedProjectConfig, after: ResolvedProjectConfig): ProjectChange {
  const parts: string[] = [];
  const routes = diffByKey(before.routes, after.routes, (r) => r.key, routeShape);
  if (routes) parts.push(`routes ${routes}`);
  const cores = diffByKey(before.cores, after.cores, (c) => c.name, coreShape);
  if (cores) parts.push(`cores ${cores}`);
  for (const key of [
    'name',
    'stage',
    'auth',
    'origins',
    'tokenUse',
    'requiredGroups',
    'maxBodyBytes',
    'coreTimeoutMs',
  ] as const) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) parts.push(key);
  }
  // Schemas are code inside the edge bundle, reloaded with it: they need no comparison.
  return { edgeOnly: parts.length === 0, summary: parts.join('; ') };
}

/** What the gateway and the edge's environment are made from; the schema lives in the edge bundle. */
function routeShape(route: ResolvedRoute): string {
  return JSON.stringify([route.core, route.payload, route.groups]);
}

function coreShape(core: ResolvedCore): string {
  return JSON.stringify(core);
}

function diffByKey<T>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
  shape: (item: T) => string,
): string {
  const old = new Map(before.map((item) => [key(item), shape(item)]));
  const next = new Map(after.map((item) => [key(item), shape(item)]));
  const marks = [
    ...[...next.keys()].filter((k) => !old.has(k)).map((k) => `+${k}`),
    ...[...old.keys()].filter((k) => !next.has(k)).map((k) => `-${k}`),
    ...[...next.keys()].filter((k) => old.has(k) && old.get(k) !== next.get(k)).map((k) => `~${k}`),
  ];
  return marks.join(' ');
}
