/**
 * Where the JWT authorizer gets the issuer's keys, with API Gateway's limits: every fetch (discovery
 * document and JWKS) times out after 1,500 ms and may carry at most 150,000 bytes; keys are cached
 * per issuer for an hour and refetched when a token names an unknown `kid` — at most once per
 * cooldown (30 s by default), so a stream of tokens with made-up `kid`s cannot turn every request
 * into a fetch from the issuer. AWS documents no figure; 30 s is jose's default.
 *
 * The JWKS URL is the configured one, else the discovery document's `jwks_uri` when the issuer
 * serves `/.well-known/openid-configuration` and that URI is on the issuer's own origin, else
 * `{issuer}/.well-known/jwks.json`. The origin check exists because cognito-local's discovery
 * document ignores its configured issuer domain (see LOCAL-IDENTITY.md).
 */
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';

export const JWKS_LIMITS = {
  fetchTimeoutMs: 1_500,
  maxBytes: 150_000,
  cacheMaxAgeMs: 60 * 60 * 1000,
  refetchCooldownMs: 30_000,
} as const;

export class JwksResponseTooLargeError extends Error {
  override name = 'JwksResponseTooLargeError';
}

/** `fetch` that refuses bodies over the limit without holding more than the limit in memory. */
export async function fetchLimited(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    signal: init.signal ?? AbortSignal.timeout(JWKS_LIMITS.fetchTimeoutMs),
  });
  const text = await readLimited(response, JWKS_LIMITS.maxBytes);
  return new Response(text, { status: response.status, headers: response.headers });
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new JwksResponseTooLargeError(`the JWKS response is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves the JWKS URL once, then serves keys from jose's remote set (cached, refetch on unknown kid). */
export class JwksSource {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly issuer: string,
    private readonly jwksUri: string | undefined,
    private readonly refetchCooldownMs: number = JWKS_LIMITS.refetchCooldownMs,
  ) {}

  getKeySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      this.keys = this.resolveJwksUri().then((uri) =>
        createRemoteJWKSet(new URL(uri), {
          timeoutDuration: JWKS_LIMITS.fetchTimeoutMs,
          cacheMaxAge: JWKS_LIMITS.cacheMaxAgeMs,
          // An unknown kid refetches, as API Gateway does on key rotation, but not within the cooldown.
          cooldownDuration: this.refetchCooldownMs,
          [customFetch]: fetchLimited,
        }),
      );
      // A failed discovery is retried on the next token rather than cached forever.
      this.keys.catch(() => {
        this.keys = undefined;
      });
    }
    return this.keys;
  }

  private async resolveJwksUri(): Promise<string> {
    if (this.jwksUri) return this.jwksUri;
    const base = this.issuer.replace(/\/$/, '');
    const fallback = `${base}/.well-known/jwks.json`;
    try {
      const response = await fetchLimited(`${base}/.well-known/openid-configuration`);
      if (!response.ok) return fallback;
      const document = (await response.json()) as { jwks_uri?: unknown };
      if (typeof document.jwks_uri !== 'string') return fallback;
      return new URL(document.jwks_uri).origin === new URL(base).origin ? document.jwks_uri : fallback;
    } catch {
      return fallback;
    }
  }
}
