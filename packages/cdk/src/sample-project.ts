/**
 * The project a `GatehouseApi` deploys when it is given none: this repository's sample
 * (examples/figures) — `POST /inference`, validated by its `zod/mini` schema, answered by its Node
 * core. It keeps the repository's own `npm run deploy` working with no config file of its own.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { type ResolvedProjectConfig, resolveProjectConfig } from '@gatehouse/contract';
import { InferenceRequestSchema } from '@gatehouse/example-figures/schema';

/** The sample's gatehouse.config.ts: the edge is bundled from it. */
export const SAMPLE_CONFIG_FILE = createRequire(import.meta.url).resolve('@gatehouse/example-figures/config');
export const SAMPLE_CORE_DIR = path.join(path.dirname(SAMPLE_CONFIG_FILE), 'core');

export function sampleProject(): ResolvedProjectConfig {
  return resolveProjectConfig(
    {
      routes: { 'POST /inference': { core: 'figures', schema: InferenceRequestSchema } },
      cores: {
        figures: { runtime: 'nodejs22.x', code: SAMPLE_CORE_DIR, handler: 'src/handler.handler', memoryMb: 256 },
      },
    },
    'the sample project',
  );
}
