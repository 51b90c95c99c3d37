/**
 * How the edge reads the optional parts of what it is given (the gateway's event, the Invoke API's
 * answers): a value of the wrong type counts as absent, never as an error of the edge's own.
 */

/** A non-empty string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The string values of a map the gateway sends (path or query parameters); any other value is dropped. */
export function stringValues(values: Readonly<Record<string, unknown>> | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) if (typeof value === 'string') result[key] = value;
  return result;
}
