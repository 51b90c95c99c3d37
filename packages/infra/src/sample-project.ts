/**
 * The project a `GatehouseApi` deploys when it is given none: this repository's sample —
 * `POST /inference`, validated by the contract's `InferenceRequestSchema`, answered by the Node core
 * in `packages/core`. It keeps the repository's own `npm run deploy` working with no config file.
 */
import { fileURLToPath } from 'node:url';
import { InferenceRequestSchema, type ResolvedProjectConfig, resolveProjectConfig } from '@gatehouse/contract';

export const SAMPLE_CORE_DIR = fileURLToPath(new URL('../../core', import.meta.url));

export function sampleProject(): ResolvedProjectConfig {
  return resolveProjectConfig(
    {
      routes: { 'POST /inference': { core: 'core', schema: InferenceRequestSchema } },
      cores: { core: { runtime: 'nodejs22.x', code: SAMPLE_CORE_DIR, handler: 'src/handler.handler', memoryMb: 256 } },
    },
    'the sample project',
  );
}
