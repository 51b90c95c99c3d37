/**
 * Verifies a Cognito token inside the authorizer with `aws-jwt-verify` (never by hand): RSA
 * signature against the issuer's JWKS, exact issuer, expiry, and — as API Gateway's own JWT
 * authorizer does — `aud` for ID tokens or `client_id` for access tokens, plus `token_use`.
 *
 * The JWKS fetcher is `fetch`, so an `http:` issuer (the local identity emulator) verifies through
 * the same code as Cognito's `https:` one.
 */
import { JwtVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';

export interface TokenVerifierOptions {
  issuer: string;
  jwksUri: string;
  clientIds: readonly string[];
  tokenUse: 'id' | 'access';
}

export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
}

const JWKS_FETCH_TIMEOUT_MS = 1500;

const fetchJwks: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`JWKS fetch from ${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

export type TokenVerifier = (token: string) => Promise<JwtPayload>;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const verifier = JwtVerifier.create(
    {
      issuer: options.issuer,
      jwksUri: options.jwksUri,
      audience: null,
      customJwtCheck: ({ payload }) => checkAudienceAndUse(payload, options),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: fetchJwks }) },
  );
  return async (token) => {
    try {
      return await verifier.verify(token.replace(/^Bearer\s+/i, ''));
    } catch (error) {
      throw new TokenRejectedError((error as Error).message);
    }
  };
}

function checkAudienceAndUse(payload: JwtPayload, options: TokenVerifierOptions): void {
  if (payload.token_use !== options.tokenUse) {
    throw new Error(`token_use is ${String(payload.token_use)}; this API takes ${options.tokenUse} tokens`);
  }
  const audience = payload.aud ?? payload.client_id;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (!audiences.some((a) => typeof a === 'string' && options.clientIds.includes(a))) {
    throw new Error('the token was issued to another app client');
  }
}
