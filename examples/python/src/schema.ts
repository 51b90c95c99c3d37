/**
 * The example's request shape, as a valibot schema: the edge validates every body with it (422,
 * one error per field, before the Python core runs) and the route console reads its types from it.
 * valibot rather than zod shows that any Standard Schema validator works; the Python core still
 * checks what only it knows (words to complete, its context window).
 */
import * as v from 'valibot';

export const CompletionRequestSchema = v.strictObject({
  prompt: v.pipe(
    v.string('prompt must be a string'),
    v.trim(),
    v.minLength(1, 'prompt must not be empty'),
    v.maxLength(32_000, 'prompt must be at most 32000 characters'),
  ),
  temperature: v.pipe(
    v.number('temperature must be a number'),
    v.minValue(0, 'temperature must be 0 or more'),
    v.maxValue(2, 'temperature must be 2 or less'),
  ),
  maxTokens: v.pipe(
    v.number('maxTokens must be a whole number'),
    v.integer('maxTokens must be a whole number'),
    v.minValue(1, 'maxTokens must be 1 or more'),
    v.maxValue(4096, 'maxTokens must be 4096 or less'),
  ),
});

export type CompletionRequest = v.InferOutput<typeof CompletionRequestSchema>;

/** `POST /digests` (a job route): a completion after `seconds` of thought — long enough to need a job. */
export const DigestRequestSchema = v.strictObject({
  ...CompletionRequestSchema.entries,
  seconds: v.pipe(
    v.number('seconds must be a number'),
    v.minValue(0, 'seconds must be 0 or more'),
    v.maxValue(100, 'seconds must be 100 or less'),
  ),
});

/** What the core's `digest` handler answers, as the job's result. */
export interface DigestAnswer extends CompletionAnswer {
  thoughtSeconds: number;
  requestedBy: string;
}

/** What the core's `complete` handler answers (core/handler.py). */
export interface CompletionAnswer {
  completion: string;
  finishReason: 'stop' | 'length';
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  stats: {
    characters: number;
    words: number;
    distinctWords: number;
    sentences: number;
    topWords: Array<{ word: string; count: number }>;
  };
  requestId: string;
}

/** What the core's `get_prompt` handler answers: a saved prompt, and who asked. */
export interface SavedPromptAnswer extends CompletionRequest {
  id: string;
  title: string;
  requestedBy: { username: string; email: string | null; groups: string[] };
  routeKey: string;
}
