/**
 * The Python example (`npm run start:python`): a team's existing Python core behind gatehouse. Its
 * request shape is validated at the edge by a valibot schema and sent to the core as it is
 * (`payload: 'input'`, the core's event is the body); a second route shows the enriched payload —
 * the path parameter and the caller's identity reaching Python.
 */
import { defineConfig } from 'gatehouse';
import { CompletionRequestSchema } from './src/schema';

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
  },
  cores: {
    // One Python module, two Lambda functions: the handler string picks the function.
    complete: { runtime: 'python3.12', code: './core', handler: 'handler.complete', timeoutSeconds: 5, memoryMb: 256 },
    prompts: { runtime: 'python3.12', code: './core', handler: 'handler.get_prompt', timeoutSeconds: 5, memoryMb: 256 },
  },
});
