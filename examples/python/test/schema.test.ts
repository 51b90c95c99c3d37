import { validateInput } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import { CompletionRequestSchema } from '../src/schema';

const valid = { prompt: 'An old silent pond.', temperature: 0.7, maxTokens: 64 };

describe('CompletionRequestSchema (valibot, through the edge’s validateInput)', () => {
  it('accepts a valid request and trims the prompt', async () => {
    expect(await validateInput(CompletionRequestSchema, { ...valid, prompt: '  An old silent pond. ' })).toEqual({
      ok: true,
      value: valid,
    });
  });

  it.each([
    [{ ...valid, prompt: '   ' }, 'prompt', 'prompt must not be empty'],
    [{ ...valid, prompt: 7 }, 'prompt', 'prompt must be a string'],
    [{ ...valid, temperature: -0.1 }, 'temperature', 'temperature must be 0 or more'],
    [{ ...valid, temperature: 2.5 }, 'temperature', 'temperature must be 2 or less'],
    [{ ...valid, temperature: '1' }, 'temperature', 'temperature must be a number'],
    [{ ...valid, maxTokens: 1.5 }, 'maxTokens', 'maxTokens must be a whole number'],
    [{ ...valid, maxTokens: 0 }, 'maxTokens', 'maxTokens must be 1 or more'],
    [{ ...valid, maxTokens: 4097 }, 'maxTokens', 'maxTokens must be 4096 or less'],
    [{ prompt: 'p', temperature: 1 }, 'maxTokens', 'maxTokens is required'],
  ])('refuses %j at %s', async (input, path, message) => {
    const result = await validateInput(CompletionRequestSchema, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path, message });
  });

  it('refuses a field the core does not know', async () => {
    const result = await validateInput(CompletionRequestSchema, { ...valid, topP: 0.9 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['topP']);
  });
});
