/**
 * The repository's sample project (examples/figures), which the whole-stack tests run: its config
 * file, and the answer type its core returns.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  type ApiDescription,
  describeApi,
  type ResolvedProjectConfig,
  resolveProjectConfig,
} from '@gatehouse/contract';
import { InferenceRequestSchema } from '@gatehouse/example-figures/schema';

export type { InferenceAnswer, InferenceRequest } from '@gatehouse/example-figures/schema';

export const SAMPLE_CONFIG = createRequire(import.meta.url).resolve('@gatehouse/example-figures/config');

/** The API the sample describes (`POST /inference` on stage `prod`), for tests of the gateway and the construct. */
export const SAMPLE_API: ApiDescription = describeApi({
  name: 'gatehouse',
  stage: 'prod',
  routes: [{ method: 'POST', path: '/inference' }],
});

/**
 * The sample as the construct takes it (resolved; its Node core by absolute path), with its config
 * file, which the edge is bundled from: `new GatehouseApi(stack, 'Api', { ...sampleApiProps(), … })`.
 */
export function sampleApiProps(): { project: ResolvedProjectConfig; configFile: string } {
  const coreDir = path.join(path.dirname(SAMPLE_CONFIG), 'core');
  const project = resolveProjectConfig(
    {
      routes: { 'POST /inference': { core: 'figures', schema: InferenceRequestSchema } },
      cores: {
        figures: { runtime: 'nodejs22.x', code: coreDir, handler: 'src/handler.handler', memoryMb: 512 },
      },
    },
    'the sample project',
  );
  return { project, configFile: SAMPLE_CONFIG };
}
