/**
 * The sample's one route through `@gatehouse/client`, typed by the route's schema: `ask` sends a
 * question and accepts only a body that is the sample core's answer.
 */
import { type CallResult, createGatehouseClient, type GatehouseClientOptions } from '@gatehouse/client';
import type {
  CoreConfig,
  InferenceAnswer,
  InferenceRequest,
  InferenceRequestSchema,
  RouteConfig,
} from '@gatehouse/contract';
import { isInferenceAnswer } from './is-inference-answer';

/** The part of the sample's gatehouse config the client's types need. */
interface FiguresConfig {
  routes: { 'POST /inference': RouteConfig<typeof InferenceRequestSchema> & { schema: typeof InferenceRequestSchema } };
  cores: Record<string, CoreConfig>;
}

export type InferenceResult = CallResult<InferenceAnswer>;

export interface FiguresApi {
  ask(request: InferenceRequest, signal?: AbortSignal): Promise<InferenceResult>;
}

export function figuresApi(options: GatehouseClientOptions): FiguresApi {
  const client = createGatehouseClient<FiguresConfig>(options);
  return {
    ask: (request, signal) => client.call('POST /inference', request, { accept: isInferenceAnswer, signal }),
  };
}
