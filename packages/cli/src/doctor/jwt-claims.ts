/**
 * Decodes a JWT's header and claims for explanation only — never verifies it, never prints it
 * whole. Verification is the authorizer's job; the doctor's is to say why the authorizer said no.
 */

export interface DecodedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export class TokenDecodeError extends Error {
  override name = 'TokenDecodeError';
}

export function decodeToken(raw: string): DecodedToken {
  const token = raw.replace(/^Bearer\s+/i, '').trim();
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new TokenDecodeError(`a JWT has three dot-separated parts; this value has ${parts.length}`);
  }
  return { header: decodePart(parts[0] as string, 'header'), claims: decodePart(parts[1] as string, 'claims') };
}

function decodePart(part: string, name: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new TokenDecodeError(`the token's ${name} is not base64url-encoded JSON`);
}

/** A short, non-reversible label for a token in output: its first characters and its length. */
export function tokenLabel(raw: string): string {
  const token = raw.replace(/^Bearer\s+/i, '').trim();
  return `${token.slice(0, 12)}… (${token.length} characters)`;
}
