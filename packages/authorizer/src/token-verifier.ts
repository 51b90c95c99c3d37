/**
 * Verifies a Cognito token inside the authorizer with `aws-jwt-verify` (never by hand): RSA
 * signature against the issuer's JWKS, exact issuer, and — as API Gateway's own JWT authorizer
 * does — a required `exp`, no `iat` in the future, `aud` for ID tokens or `client_id` for access
 * tokens, plus `token_use`.
 *
 * The JWKS fetcher is `fetch`, so an `http:` issuer (the local identity emulator) verifies through
 * the same code as Cognito's `https:` one.
 */
import { JwtVerifier } from 'aws-jwt-verify';
import {
  FetchError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtBaseError,
  ParameterValidationError,
} from 'aws-jwt-verify/error';
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

/** The token is well signed but not for this API (token use, app client). */
class ClaimCheckError extends Error {
  override name = 'ClaimCheckError';
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
      customJwtCheck: ({ payload }) => checkClaims(payload, options),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: fetchJwks }) },
  );
  return async (token) => {
    try {
      // RFC 6750's `Bearer` 1*SP: `\s` would also take a NBSP or a line-separator byte.
      return await verifier.verify(token.replace(/^Bearer +/i, ''));
    } catch (error) {
      if (isVerdictOnToken(error)) throw new TokenRejectedError((error as Error).message);
      // The keys could not be had (network, Cognito, a broken JWKS): not the caller's fault. Failing
      // the invocation makes API Gateway answer 500, which it does not cache — a refusal it would
      // keep for the whole result TTL.
      throw error;
    }
  };
}

function isVerdictOnToken(error: unknown): boolean {
  if (error instanceof ClaimCheckError) return true;
  if (!(error instanceof JwtBaseError)) return false;
  return !(
    error instanceof FetchError ||
    error instanceof JwksNotAvailableInCacheError ||
    error instanceof JwksValidationError ||
    error instanceof ParameterValidationError
  );
}

function checkClaims(payload: JwtPayload, options: TokenVerifierOptions): void {
  // aws-jwt-verify checks `exp` only when present and never looks at `iat`; API Gateway's JWT
  // authorizer requires an `exp` after now and an `iat` before it, and so do we.
  if (typeof payload.exp !== 'number') throw new ClaimCheckError('the token has no expiry (exp)');
  if (typeof payload.iat === 'number' && payload.iat > Math.floor(Date.now() / 1000)) {
    throw new ClaimCheckError('the token was issued in the future');
  }
  if (payload.token_use !== options.tokenUse) {
    throw new ClaimCheckError(`token_use is ${String(payload.token_use)}; this API takes ${options.tokenUse} tokens`);
  }
  const audience = payload.aud ?? payload.client_id;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (!audiences.some((a) => typeof a === 'string' && options.clientIds.includes(a))) {
    throw new ClaimCheckError('the token was issued to another app client');
  }
}
