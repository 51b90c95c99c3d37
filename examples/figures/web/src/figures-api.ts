/**
 * The sample's one route through `@gatehouse/client`, typed by the route's schema: `ask` sends a
 * question and accepts only a body that is the sample core's answer.
 */
import { type CallResult, createGatehouseClient, type GatehouseClientOptions } from '@gatehouse/client';
import type figuresConfig from '@gatehouse/example-figures/config';
import type { InferenceAnswer, InferenceRequest } from '@gatehouse/example-figures/schema';
import { isInferenceAnswer } from './is-inference-answer';

export type InferenceResult = CallResult<InferenceAnswer>;

export interface FiguresApi {
  ask(request: InferenceRequest, signal?: AbortSignal): Promise<InferenceResult>;
}

export function figuresApi(options: GatehouseClientOptions): FiguresApi {
  const client = createGatehouseClient<typeof figuresConfig>(options);
  return {
    ask: (request, signal) => client.call('POST /inference', request, { accept: isInferenceAnswer, signal }),
  };
}
