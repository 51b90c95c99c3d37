/**
 * API Gateway HTTP API's JWT authorizer, verified with `jose`: RSA signatures only, a `kid` that
 * names a key of the issuer's JWKS, the exact issuer, `aud` among the audiences (`client_id` only
 * when there is no `aud`), an `exp` it must have, `exp`/`nbf`/`iat` with no clock tolerance, and
 * the route's scopes.
 *
 * Rejections are `AuthorizerRejection`s: 401 with AWS's `www-authenticate` challenge, or 403 when
 * the token is good but lacks every scope the route asks for. The `error_description` texts are
 * AWS's where its docs quote them ("the token has expired", "the token does not have a valid
 * audience"), otherwise ours, in the same lower-case style.
 */
import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import { AuthorizerCache } from './authorizer-cache';
import { JwksSource } from './jwks-source';

export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/**
 * How long a token whose signature, issuer and audience were verified is taken as verified again
 * without a second RSA verification (the one costly step, ≈ 0.1 ms a request: docs/PERFORMANCE.md).
 * Its times (`exp`, `nbf`) are checked at every request all the same; the bound keeps a key the
 * issuer has since withdrawn from admitting a token for long.
 */
export const VERIFIED_TOKEN_TTL_SECONDS = 300;
const BEARER = /^bearer +/i;

/** API Gateway's quotas for a JWT authorizer, checked when the gateway starts (as AWS does on deploy). */
export const JWT_AUTHORIZER_LIMITS = { maxAudiences: 50, maxScopesPerRoute: 10 } as const;

/** The authorizer settings are ones API Gateway would refuse to deploy. */
export class AuthorizerConfigError extends Error {
  override name = 'AuthorizerConfigError';
}

export interface JwtAuthorizerOptions {
  issuer: string;
  audiences: readonly string[];
  jwksUri?: string;
  /** Least time between two JWKS fetches caused by unknown `kid`s; default `JWKS_LIMITS.refetchCooldownMs`. */
  jwksRefetchCooldownMs?: number;
}

export interface AuthorizedToken {
  claims: JWTPayload;
  /** The token's scopes (`scope` or `scp`), split on spaces. */
  scopes: string[];
}

export class AuthorizerRejection extends Error {
  override name = 'AuthorizerRejection';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** No token at all: API Gateway answers 401 without a challenge description. */
export class MissingTokenError extends AuthorizerRejection {
  override name = 'MissingTokenError';
  constructor() {
    super(401, 'the request has no Authorization header');
  }
}

export class InvalidTokenError extends AuthorizerRejection {
  override name = 'InvalidTokenError';
  constructor(description: string) {
    super(401, description);
  }
}

export class InsufficientScopeError extends AuthorizerRejection {
  override name = 'InsufficientScopeError';
  constructor(required: readonly string[]) {
    super(403, `the token has none of the scopes ${required.join(' ')}`);
  }
}

export class JwtAuthorizer {
  private readonly keys: JwksSource;
  /** The payloads of tokens verified in full lately, by the exact token. */
  private readonly verified = new AuthorizerCache<JWTPayload>(VERIFIED_TOKEN_TTL_SECONDS);

  constructor(private readonly options: JwtAuthorizerOptions) {
    const count = options.audiences.length;
    if (count < 1 || count > JWT_AUTHORIZER_LIMITS.maxAudiences) {
      throw new AuthorizerConfigError(
        `a JWT authorizer takes 1 to ${JWT_AUTHORIZER_LIMITS.maxAudiences} audiences (got ${count})`,
      );
    }
    this.keys = new JwksSource(options.issuer, options.jwksUri, options.jwksRefetchCooldownMs);
  }

  /** Verifies the `Authorization` header's value for a route; throws an `AuthorizerRejection`. */
  async authorize(header: string | undefined, routeScopes: readonly string[]): Promise<AuthorizedToken> {
    const token = extractToken(header);
    const claims = await this.verify(token);
    const scopes = tokenScopes(claims);
    if (routeScopes.length > 0 && !routeScopes.some((s) => scopes.includes(s))) {
      throw new InsufficientScopeError(routeScopes);
    }
    return { claims, scopes };
  }

  private async verify(token: string): Promise<JWTPayload> {
    const known = this.verified.get(token);
    if (known) return checkTimes(known);
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new InvalidTokenError('the token is not a well-formed JWT');
    }
    if (typeof header.alg !== 'string' || !JWT_ALGORITHMS.includes(header.alg)) {
      throw new InvalidTokenError(`signing method ${String(header.alg)} is invalid`);
    }
    if (typeof header.kid !== 'string' || header.kid === '') throw new InvalidTokenError('the token has no kid');

    let payload: JWTPayload;
    try {
      const keySet = await this.keys.getKeySet();
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: JWT_ALGORITHMS,
        issuer: this.options.issuer,
        clockTolerance: 0,
        // API Gateway refuses a token that never expires; jose checks `exp` only when present.
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw new InvalidTokenError(describeJoseError(error));
    }
    // jose checks `iat` only for a maximum age; API Gateway also refuses one in the future.
    if (typeof payload.iat === 'number' && payload.iat > Math.floor(Date.now() / 1000)) {
      throw new InvalidTokenError('the token was issued in the future');
    }
    if (!this.hasValidAudience(payload)) throw new InvalidTokenError('the token does not have a valid audience');
    this.verified.set(token, payload);
    return payload;
  }

  /** `aud` decides when present; `client_id` (Cognito access tokens) only when there is no `aud`. */
  private hasValidAudience(payload: JWTPayload): boolean {
    const audiences = this.options.audiences;
    if (payload.aud !== undefined) {
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      return aud.some((a) => audiences.includes(a));
    }
    return typeof payload.client_id === 'string' && audiences.includes(payload.client_id);
  }
}

/**
 * The identity source may hold the token bare or after `Bearer ` (any case). Only ASCII spaces
 * separate the scheme: `\s` would also take a no-break space, which no HTTP client sends there.
 */
export function extractToken(header: string | undefined): string {
  const value = header?.replace(/^[ \t]+|[ \t]+$/g, '') ?? '';
  if (value === '') throw new MissingTokenError();
  const token = BEARER.test(value) ? value.replace(BEARER, '') : value;
  if (token === '') throw new MissingTokenError();
  return token;
}

export function tokenScopes(claims: JWTPayload): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return typeof raw === 'string' ? raw.split(' ').filter((s) => s !== '') : [];
}

/** What jose checks of a token's times (no clock tolerance), for a token verified before. */
function checkTimes(payload: JWTPayload): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.nbf === 'number' && payload.nbf > now) throw new InvalidTokenError('the token is not valid yet');
  if (typeof payload.exp === 'number' && payload.exp <= now) throw new InvalidTokenError('the token has expired');
  return payload;
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'the token does not have a valid issuer';
    if (error.claim === 'nbf') return 'the token is not valid yet';
    if (error.claim === 'exp') return 'the token has no valid exp claim';
    return `the token's ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token kid does not match any key of the issuer';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token signing method is invalid';
  if (error instanceof errors.JWKSTimeout) return 'the issuer keys could not be fetched in time';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'the token is malformed';
  return 'the issuer keys could not be fetched';
}

/**
 * The `www-authenticate` value for a 401, worded as API Gateway words it: space-separated
 * parameters, the route's scopes first. A missing token gets the challenge without an error.
 */
export function bearerChallenge(rejection: AuthorizerRejection, routeScopes: readonly string[]): string | undefined {
  if (rejection.status !== 401) return undefined;
  const scope = `scope="${routeScopes.join(' ')}"`;
  if (rejection instanceof MissingTokenError) return `Bearer ${scope}`;
  return `Bearer ${scope} error="invalid_token" error_description="${rejection.message.replaceAll('"', "'")}"`;
}
