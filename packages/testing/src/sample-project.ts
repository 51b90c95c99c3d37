/**
 * The repository's sample project (examples/figures), which the whole-stack tests run: its config
 * file, and the answer type its core returns.
 */
import { createRequire } from 'node:module';

export type { InferenceAnswer, InferenceRequest } from '@gatehouse/example-figures/schema';

export const SAMPLE_CONFIG = createRequire(import.meta.url).resolve('@gatehouse/example-figures/config');
