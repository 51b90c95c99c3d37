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

import { parseEmailAllowList } from './email-allow-list';

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

/**
 * The one `auth` option, as the CDK construct and the local stack both take it. `lambda` needs its
 * authorizer's settings; `none` needs `acknowledgePublic: true`, so a public API is never an accident.
 */
export type AuthOption =
  | { mode: 'cognito' }
  | { mode: 'lambda'; lambda: LambdaAuthorizerOption }
  | { mode: 'iam' }
  /** A public API: every caller reaches the edge. `acknowledgePublic` must be `true`. */
  | { mode: 'none'; acknowledgePublic: boolean };

export type LambdaAuthorizerOption =
  | { kind: 'email-allowlist'; allowedEmails: readonly string[] }
  /** `cacheSeconds`: how long the authorizer trusts the key list it read (0–3600, default 60). */
  | { kind: 'api-key'; keysParameterName?: string; cacheSeconds?: number };

/** How long the API-key authorizer trusts the key list it read, unless configured otherwise. */
export const DEFAULT_API_KEYS_CACHE_SECONDS = 60;

/**
 * What is wrong with an auth option, in words for whoever wrote it, or undefined when nothing is.
 * Callers throw their own error with it (the construct at synth, the local stack at start).
 */
export function authOptionProblem(auth: AuthOption): string | undefined {
  switch (auth.mode) {
    case 'cognito':
    case 'iam':
      return undefined;
    case 'none':
      return auth.acknowledgePublic === true
        ? undefined
        : 'auth "none" makes the API public: anyone can call the core through it. Set acknowledgePublic: true ' +
            '(config: "acknowledgePublic": true) if that is what you want.';
    case 'lambda':
      return lambdaOptionProblem(auth.lambda);
    default:
      return `auth must be one of ${AUTH_MODES.join(', ')} (got ${JSON.stringify((auth as { mode: unknown }).mode)})`;
  }
}

function lambdaOptionProblem(settings: LambdaAuthorizerOption): string | undefined {
  if (settings.kind === 'email-allowlist') {
    if (settings.allowedEmails.length === 0) {
      return 'auth lambda email-allowlist: allowedEmails is empty, so nobody could sign in';
    }
    try {
      parseEmailAllowList(settings.allowedEmails);
    } catch (error) {
      return `auth lambda email-allowlist: ${(error as Error).message}`;
    }
    return undefined;
  }
  const cacheSeconds = settings.cacheSeconds ?? DEFAULT_API_KEYS_CACHE_SECONDS;
  if (!Number.isInteger(cacheSeconds) || cacheSeconds < 0 || cacheSeconds > 3600) {
    return `auth lambda api-key: cacheSeconds must be 0–3600 (got ${cacheSeconds})`;
  }
  const name = apiKeysParameterName(settings);
  if (!/^\/[A-Za-z0-9_.\-/]+$/.test(name)) {
    return `auth lambda api-key: keysParameterName "${name}" must be an absolute SSM path`;
  }
  return undefined;
}

/** The SSM parameter an api-key authorizer reads. */
export function apiKeysParameterName(settings: { keysParameterName?: string }): string {
  return settings.keysParameterName ?? LAMBDA_AUTHORIZER.defaultKeysParameter;
}
