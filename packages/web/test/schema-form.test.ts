import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { formFields, inputFromValues, inputJsonSchema, valuesFromInput } from '../src/console/schema-form';

const ASK = z.strictObject({
  prompt: z.string().check(z.minLength(1), z.maxLength(4000)),
  temperature: z.optional(z.number()),
  maxTokens: z.int(),
  tone: z.enum(['plain', 'formal']),
  stream: z.optional(z.boolean()),
});

describe('the console form from a route schema', () => {
  it("builds one field per property from a zod/mini schema's JSON Schema", () => {
    // Act
    const fields = formFields(inputJsonSchema(ASK));

    // Assess
    expect(fields).toEqual([
      { name: 'prompt', label: 'Prompt', kind: 'long-text', required: true },
      { name: 'temperature', label: 'Temperature', kind: 'number', required: false },
      { name: 'maxTokens', label: 'Max tokens', kind: 'integer', required: true },
      { name: 'tone', label: 'Tone', kind: 'choice', required: true, options: ['plain', 'formal'] },
      { name: 'stream', label: 'Stream', kind: 'boolean', required: false },
    ]);
  });

  it("offers the choice a string is normalised into, as the page's select does, and names fields by their title", () => {
    // Prepare: the sample's period — any string in, one of a set out
    const schema = z.object({
      period: z.pipe(z.string().check(z.trim(), z.toUpperCase()), z.enum(['Q1', 'Q2', 'FY'])),
      owner_email: z.string().register(z.globalRegistry, { title: 'Owner’s email' }),
    });

    // Act
    const fields = formFields(inputJsonSchema(schema));

    // Assess
    expect(fields).toEqual([
      { name: 'period', label: 'Period', kind: 'choice', required: true, options: ['Q1', 'Q2', 'FY'] },
      { name: 'owner_email', label: 'Owner’s email', kind: 'text', required: true },
    ]);
  });

  it('uses the Standard JSON Schema a validator offers', () => {
    // Prepare
    const schema = {
      '~standard': {
        version: 1,
        vendor: 'other',
        validate: (value: unknown) => ({ value }),
        jsonSchema: {
          input: () => ({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }),
          output: () => ({}),
        },
      },
    } as const;

    // Act
    const fields = formFields(inputJsonSchema(schema));

    // Assess
    expect(fields).toEqual([{ name: 'q', label: 'Q', kind: 'text', required: true }]);
  });

  it('leaves nested shapes and unknown validators to raw JSON', () => {
    expect(formFields(inputJsonSchema(z.object({ items: z.array(z.string()) })))).toBeUndefined();
    expect(formFields(inputJsonSchema(z.object({ a: z.object({ b: z.string() }) })))).toBeUndefined();
    const opaque = {
      '~standard': { version: 1, vendor: 'valibot', validate: (value: unknown) => ({ value }) },
    } as const;
    expect(inputJsonSchema(opaque)).toBeUndefined();
  });

  it('prefills from the example and turns typed text back into the input, keeping mistakes for the edge to name', () => {
    // Prepare
    const fields = formFields(inputJsonSchema(ASK)) ?? [];
    const example = { prompt: 'Hi', temperature: 0.2, maxTokens: 64, tone: 'plain' };

    // Act
    const values = valuesFromInput(fields, example);
    const roundTrip = inputFromValues(fields, values);
    const mistaken = inputFromValues(fields, { ...values, maxTokens: 'many', temperature: ' ', stream: 'true' });

    // Assess
    expect(values).toEqual({ prompt: 'Hi', temperature: '0.2', maxTokens: '64', tone: 'plain', stream: '' });
    expect(roundTrip).toEqual(example);
    expect(mistaken).toEqual({ prompt: 'Hi', maxTokens: 'many', tone: 'plain', stream: true });
  });
});
