/**
 * The repository's sample project (examples/figures), which the whole-stack tests run: its config
 * file, and the answer type its core returns.
 */
import { createRequire } from 'node:module';
import { type ApiDescription, describeApi } from '@gatehouse/contract';

export type { InferenceAnswer, InferenceRequest } from '@gatehouse/example-figures/schema';

export const SAMPLE_CONFIG = createRequire(import.meta.url).resolve('@gatehouse/example-figures/config');

/** The API the sample describes (`POST /inference` on stage `prod`), for tests of the gateway and the construct. */
export const SAMPLE_API: ApiDescription = describeApi({
  name: 'gatehouse',
  stage: 'prod',
  routes: [{ method: 'POST', path: '/inference' }],
});
