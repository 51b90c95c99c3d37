/**
 * How API Gateway HTTP API hands JWT claims to a Lambda (payload format 2.0): every claim becomes a
 * string. Numbers and booleans are stringified (`"exp":"1787996002"`), arrays become
 * `"[a b]"` (brackets, space-separated, no quotes). The gateway emulator encodes with
 * `encodeClaims`; the edge reads back with the parsers here.
 *
 * How AWS renders a nested object claim is not documented; we render `{k=v, k2=v2}` (seen in public
 * captures of address claims) and never rely on parsing it.
 */

export type GatewayClaims = Record<string, string>;

export function encodeClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(encodeClaimValue).join(' ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${encodeClaimValue(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

export function encodeClaims(payload: Record<string, unknown>): GatewayClaims {
  const claims: GatewayClaims = {};
  for (const [name, value] of Object.entries(payload)) claims[name] = encodeClaimValue(value);
  return claims;
}

/**
 * Reads a list claim in any form it may arrive in: the gateway's `"[a b]"`, a JSON array string
 * (`'["a","b"]'`, seen from some custom authorizers), a comma-separated string, or a real array
 * (a Function URL or a test passing the decoded token).
 *
 * @example
 * parseListClaim('[admins users]') // → ['admins', 'users']
 */
export function parseListClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text === '' || text === '[]') return [];
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1);
    if (inner.trimStart().startsWith('"')) {
      try {
        return parseListClaim(JSON.parse(text));
      } catch {
        // Not JSON after all: fall through to the gateway's bracket form.
      }
    }
    // The gateway separates items with single spaces; group names may themselves contain commas.
    return inner.split(/\s+/).filter((v) => v !== '');
  }
  return text.split(/[\s,]+/).filter((v) => v !== '');
}

/** Reads a numeric claim (`exp`, `iat`, `auth_time`) that may arrive as a string. */
export function parseNumberClaim(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads a boolean claim (`email_verified`) that may arrive as `"true"`/`"false"`. */
export function parseBooleanClaim(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Reads a string claim; the empty string counts as absent. */
export function parseStringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
