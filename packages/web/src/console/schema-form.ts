/**
 * The route console's form, built from a route's schema: the schema's JSON Schema (its Standard
 * JSON Schema, or zod 4's converter for zod and zod/mini schemas) becomes one field per property of
 * a flat object. Anything else — nested objects, arrays, unions — is edited as raw JSON, which the
 * console always offers. Values travel as typed text; the edge's own validation has the last word.
 */
import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { type $ZodType, toJSONSchema } from 'zod/v4/core';

export type FieldKind = 'text' | 'long-text' | 'number' | 'integer' | 'boolean' | 'choice';

export interface FormField {
  name: string;
  /** What the field is called on screen: the schema's `title`, else the name in words (`maxTokens` → "Max tokens"). */
  label: string;
  kind: FieldKind;
  required: boolean;
  /** For `choice`. */
  options?: readonly string[];
  /** From the schema's `description`, shown under the field. */
  hint?: string;
}

export type FormValues = Record<string, string>;

/** Longer strings than this get a text area. */
const LONG_TEXT = 200;

/**
 * The JSON Schema of what a client sends, or undefined when the validator offers none. A string
 * property that the schema turns into one of a fixed set (`z.pipe(z.string(), z.enum([…]))`, as a
 * page's select sends it) keeps that set, so the console offers the same choice the page does.
 */
export function inputJsonSchema(schema: StandardSchemaV1 | undefined): Record<string, unknown> | undefined {
  if (!schema) return undefined;
  try {
    const standard = (schema as unknown as Partial<StandardJSONSchemaV1>)['~standard'];
    if (standard?.jsonSchema) {
      return withOutputChoices(
        standard.jsonSchema.input({ target: 'draft-2020-12' }),
        standard.jsonSchema.output({ target: 'draft-2020-12' }),
      );
    }
    if (schema['~standard'].vendor === 'zod') {
      const zod = schema as unknown as $ZodType;
      return withOutputChoices(
        toJSONSchema(zod, { io: 'input', unrepresentable: 'any' }),
        toJSONSchema(zod, { io: 'output', unrepresentable: 'any' }),
      );
    }
  } catch {
    // A schema the converter cannot express (a custom refinement, a transform) is edited as raw JSON.
  }
  return undefined;
}

function withOutputChoices(input: Record<string, unknown>, output: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(input.properties) || !isRecord(output.properties)) return input;
  const properties: Record<string, unknown> = { ...input.properties };
  for (const [name, property] of Object.entries(properties)) {
    const after = output.properties[name];
    if (isRecord(property) && property.type === 'string' && property.enum === undefined && isRecord(after)) {
      const choices = choicesOf(after);
      if (choices) properties[name] = { ...property, enum: choices };
    }
  }
  return { ...input, properties };
}

/** `enum: [...]`, or `anyOf`/`oneOf` of `const`s, as converters write a fixed set of strings. */
function choicesOf(property: Record<string, unknown>): string[] | undefined {
  if (Array.isArray(property.enum) && property.enum.every((v) => typeof v === 'string')) return property.enum;
  const variants = property.anyOf ?? property.oneOf;
  if (!Array.isArray(variants) || variants.length === 0) return undefined;
  const values = variants.map((v) => (isRecord(v) && typeof v.const === 'string' ? v.const : undefined));
  return values.every((v): v is string => v !== undefined) ? values : undefined;
}

/** One field per property of a flat object schema; undefined when the schema is not one. */
export function formFields(jsonSchema: Record<string, unknown> | undefined): FormField[] | undefined {
  if (jsonSchema?.type !== 'object' || !isRecord(jsonSchema.properties)) return undefined;
  const required = new Set(Array.isArray(jsonSchema.required) ? jsonSchema.required.map(String) : []);
  const fields: FormField[] = [];
  for (const [name, property] of Object.entries(jsonSchema.properties)) {
    if (!isRecord(property)) return undefined;
    const kind = fieldKind(property);
    if (!kind) return undefined;
    const label = typeof property.title === 'string' ? property.title : words(name);
    const field: FormField = { name, label, kind, required: required.has(name) };
    if (kind === 'choice') field.options = (property.enum as unknown[]).map(String);
    if (typeof property.description === 'string') field.hint = property.description;
    fields.push(field);
  }
  return fields;
}

export function valuesFromInput(fields: readonly FormField[], input: unknown): FormValues {
  const record = isRecord(input) ? input : {};
  return Object.fromEntries(
    fields.map(({ name }) => [name, record[name] === undefined || record[name] === null ? '' : String(record[name])]),
  );
}

/**
 * The input the form's values describe. An empty field is left out (so the schema says "required");
 * a number field holding text stays text, so the edge names the mistake instead of the form hiding it.
 */
export function inputFromValues(fields: readonly FormField[], values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? '';
    if (raw.trim() === '' && field.kind !== 'text' && field.kind !== 'long-text') continue;
    if (raw === '') continue;
    input[field.name] = typed(field.kind, raw);
  }
  return input;
}

function typed(kind: FieldKind, raw: string): unknown {
  if (kind === 'number' || kind === 'integer') {
    const value = Number(raw.trim());
    return Number.isNaN(value) ? raw : value;
  }
  if (kind === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function fieldKind(property: Record<string, unknown>): FieldKind | undefined {
  if (Array.isArray(property.enum) && property.enum.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return 'choice';
  }
  switch (property.type) {
    case 'string':
      return typeof property.maxLength === 'number' && property.maxLength > LONG_TEXT ? 'long-text' : 'text';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return undefined;
  }
}

/** `maxTokens`, `max_tokens` → "Max tokens". */
function words(name: string): string {
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return spaced === '' ? name : spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
