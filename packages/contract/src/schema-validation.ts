/**
 * Runs any Standard Schema validator (zod, valibot, arktype) and reports its failures in the
 * problem body's shape — `{ path: 'year', message: 'year is required' }` — so the edge's 422 and
 * the browser's inline errors read the same whichever library the project chose.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { FieldError } from './problem';

export type InputValidation = { ok: true; value: unknown } | { ok: false; errors: FieldError[] };

/**
 * @example
 * await validateInput(z.object({ year: z.number() }), {})
 * // → { ok: false, errors: [{ path: 'year', message: 'year is required' }] }
 */
export async function validateInput(schema: StandardSchemaV1, value: unknown): Promise<InputValidation> {
  let result = schema['~standard'].validate(value);
  if (result instanceof Promise) result = await result;
  if (!result.issues) return { ok: true, value: result.value };
  return { ok: false, errors: result.issues.map((issue) => fieldError(issue, value)) };
}

function fieldError(issue: StandardSchemaV1.Issue, value: unknown): FieldError {
  const path = (issue.path ?? []).map((segment) =>
    typeof segment === 'object' && segment !== null ? segment.key : segment,
  );
  const dotted = path.map(String).join('.');
  // zod reports unknown keys on the object with a generic message; the keys themselves are what
  // the caller needs (other validators name the key in their message already).
  const unknown = (issue as { code?: unknown; keys?: unknown }).keys;
  if ((issue as { code?: unknown }).code === 'unrecognized_keys' && Array.isArray(unknown)) {
    return { path: dotted, message: `unknown field(s): ${unknown.join(', ')}` };
  }
  // Validators word a missing field as a type mismatch ("expected string, received undefined");
  // the caller needs to hear that it is missing.
  if (path.length > 0 && isAbsent(value, path)) return { path: dotted, message: `${dotted} is required` };
  return { path: dotted, message: issue.message };
}

function isAbsent(value: unknown, path: readonly PropertyKey[]): boolean {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return true;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node === undefined;
}
