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

/** The JSON Schema of what a client sends, or undefined when the validator offers none. */
export function inputJsonSchema(schema: StandardSchemaV1 | undefined): Record<string, unknown> | undefined {
  if (!schema) return undefined;
  try {
    const standard = (schema as unknown as Partial<StandardJSONSchemaV1>)['~standard'];
    if (standard?.jsonSchema) return standard.jsonSchema.input({ target: 'draft-2020-12' });
    if (schema['~standard'].vendor === 'zod') {
      return toJSONSchema(schema as unknown as $ZodType, { io: 'input', unrepresentable: 'any' });
    }
  } catch {
    // A schema the converter cannot express (a custom refinement, a transform) is edited as raw JSON.
  }
  return undefined;
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
    const field: FormField = { name, kind, required: required.has(name) };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
