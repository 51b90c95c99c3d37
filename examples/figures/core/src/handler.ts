/**
 * The sample core Lambda: answers questions about a partner's figures for a period.
 *
 * It is business logic only — invoked through the Lambda Invoke API with the edge's CorePayload,
 * it returns a JSON value or throws. Nothing here knows about HTTP, CORS or tokens; replace this
 * core with any existing function that honours the same payload and error contract.
 */
import type { CorePayload } from '@gatehouse/contract';
import { type InferenceAnswer, type InferenceRequest, validateInferenceRequest } from '../../src/schema';
import { answerQuestion } from './answer';
import { ValidationError } from './errors';

export async function handler(payload: unknown): Promise<InferenceAnswer> {
  const { input, requestId } = readPayload(payload);
  const answer = answerQuestion(input);
  console.log(JSON.stringify({ level: 'info', message: 'answered', requestId, figures: answer.meta.figures.length }));
  return answer;
}

/** Any caller can invoke a Lambda, so the core checks its input too rather than trusting the edge. */
function readPayload(payload: unknown): { input: InferenceRequest; requestId: string | undefined } {
  if (typeof payload !== 'object' || payload === null || !('input' in payload)) {
    throw new ValidationError('Expected a payload of the form { input, identity, requestMeta }.');
  }
  const checked = validateInferenceRequest((payload as { input: unknown }).input);
  if (!checked.ok) {
    throw new ValidationError(checked.errors.map((e) => e.message).join('; '));
  }
  const meta = (payload as Partial<CorePayload>).requestMeta;
  return { input: checked.value, requestId: typeof meta?.requestId === 'string' ? meta.requestId : undefined };
}
