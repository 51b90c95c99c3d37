/**
 * The four ways gatehouse can protect the API, chosen by one option (`auth`) on the CDK construct
 * and on the local stack. The routes, the edge and the core are the same in every mode; only who
 * admits the caller changes, and the edge reads the same identity from whichever admitted them.
 *
 * - `cognito`: API Gateway's JWT authorizer checks a Cognito token (the default).
 * - `lambda`:  a Lambda authorizer admits allow-listed emails, or API keys kept hashed in SSM.
 * - `iam`:     callers sign requests with SigV4 (services, or browsers with identity-pool credentials).
 * - `none`:    public; allowed only with an explicit acknowledgement, and warned about.
 */

export const AUTH_MODES = ['cognito', 'lambda', 'iam', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export type LambdaAuthorizerMode = 'email-allowlist' | 'api-key';

export const LAMBDA_AUTHORIZER = {
  /** Where API Gateway reads the identity, which is also the authorizer cache key. */
  identitySource: {
    'email-allowlist': '$request.header.Authorization',
    'api-key': '$request.header.x-api-key',
  },
  /** API Gateway's default result cache; 0 turns caching off. */
  resultsCacheTtlSeconds: 300,
  /** Header the API key arrives in (lower case, as in the 2.0 event). */
  apiKeyHeader: 'x-api-key',
  /** The SSM parameter that holds the hashed keys, unless configured otherwise. */
  defaultKeysParameter: '/gatehouse/api-keys',
} as const;

/** Headers a browser must be allowed to send for each mode, beyond the base CORS list. */
export const AUTH_MODE_REQUEST_HEADERS: Record<AuthMode, readonly string[]> = {
  cognito: [],
  lambda: ['x-api-key'],
  iam: ['x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'],
  none: [],
};

export function parseAuthMode(value: string | undefined): AuthMode {
  const mode = (value ?? 'cognito').trim();
  if ((AUTH_MODES as readonly string[]).includes(mode)) return mode as AuthMode;
  throw new Error(`auth must be one of ${AUTH_MODES.join(', ')} (got ${JSON.stringify(value)})`);
}
