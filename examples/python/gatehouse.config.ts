/**
 * The Python example (`npm run start:python`): a team's existing Python core behind gatehouse. Its
 * request shape is validated at the edge by a valibot schema and sent to the core as it is
 * (`payload: 'input'`, the core's event is the body); a second route shows the enriched payload —
 * the path parameter and the caller's identity reaching Python; a third is a job route, for a core
 * that may think longer than the 30 s an HTTP API waits (docs/JOBS.md).
 */
import { defineConfig } from 'gatehouse';
import { CompletionRequestSchema, DigestRequestSchema } from './src/schema';

export default defineConfig({
  name: 'gatehouse-python',
  routes: {
    'POST /completions': {
      core: 'complete',
      schema: CompletionRequestSchema,
      // The core was written for the bare request; identity then travels nowhere.
      payload: 'input',
      description: 'Echo a prompt back as a completion, at most maxTokens tokens; temperature shuffles it.',
      example: { prompt: 'The quick brown fox jumps over the lazy dog.', temperature: 0.7, maxTokens: 64 },
    },
    'GET /prompts/{id}': {
      core: 'prompts',
      description: 'A saved prompt (haiku, shuffle), with the caller the core was told about.',
    },
    'POST /digests': {
      core: 'digest',
      schema: DigestRequestSchema,
      // Answers 202 at once; the core runs up to 120 s; GET /jobs/{jobId} reads the outcome.
      job: { timeoutSeconds: 120, keepHours: 24, maxConcurrent: 4 },
      description:
        'A completion that first thinks for the given seconds (up to 100: past the API’s 30 s), run as a job.',
      example: { prompt: 'An old silent pond. A frog jumps in.', temperature: 0, maxTokens: 8, seconds: 35 },
    },
    'POST /digests/now': {
      core: 'digest',
      schema: DigestRequestSchema,
      description: 'The same core as a normal route: past the edge’s deadline (8 s) it answers 504.',
      example: { prompt: 'An old silent pond. A frog jumps in.', temperature: 0, maxTokens: 8, seconds: 35 },
    },
  },
  cores: {
    // One Python module, two Lambda functions: the handler string picks the function.
    complete: { runtime: 'python3.12', code: './core', handler: 'handler.complete', timeoutSeconds: 5, memoryMb: 256 },
    prompts: { runtime: 'python3.12', code: './core', handler: 'handler.get_prompt', timeoutSeconds: 5, memoryMb: 256 },
    digest: { runtime: 'python3.12', code: './core', handler: 'handler.digest', timeoutSeconds: 120, memoryMb: 256 },
  },
});
