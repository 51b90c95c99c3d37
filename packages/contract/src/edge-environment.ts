/**
 * The edge's environment: the one contract between whoever deploys the edge (the CDK construct, the
 * local stack) and the edge itself. Names, defaults, bounds and parsing live here once, so the
 * writers cannot drift from the reader: both call this module.
 *
 * @example
 * // a writer (the construct, the local stack)
 * const environment = writeEdgeEnvironment({ coreTargets: { figures: 'gatehouse-figures' }, … });
 * // the reader (the edge, at cold start)
 * const settings = readEdgeEnvironment(process.env);
 */
import { type AuthMode, parseAuthMode } from './auth-modes';
import { EnvironmentError } from './environment-error';
import { PROJECT_DEFAULTS, type TokenUse } from './project-defaults';

export const EDGE_LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type EdgeLogLevel = (typeof EDGE_LOG_LEVELS)[number];

/** The variables, by what they carry. */
export const EDGE_VARIABLES = {
  coreTargets: 'CORE_TARGETS',
  allowedOrigins: 'ALLOWED_ORIGINS',
  authMode: 'AUTH_MODE',
  requiredTokenUse: 'REQUIRED_TOKEN_USE',
  requiredGroups: 'REQUIRED_GROUPS',
  maxBodyBytes: 'MAX_BODY_BYTES',
  coreTimeoutMs: 'CORE_TIMEOUT_MS',
  logLevel: 'LOG_LEVEL',
  forwardTraceHeader: 'FORWARD_TRACE_HEADER',
  lambdaEndpoint: 'AWS_ENDPOINT_URL_LAMBDA',
} as const;

/** Lambda's synchronous invoke carries at most 6 MB; a body larger than that could never reach the core. */
export const MAX_BODY_BYTES_LIMIT = 6 * 1024 * 1024;
/** API Gateway gives up on an HTTP API integration after 30 s. */
export const MAX_CORE_TIMEOUT_MS = 30_000;
export const MIN_CORE_TIMEOUT_MS = 100;

export interface EdgeSettings {
  /** Core name (as the project config names it) → the function (name, ARN, optionally `:qualifier`). */
  coreTargets: Readonly<Record<string, string>>;
  /** Exact origins or `https://*`-style scheme prefixes, never `*`. */
  allowedOrigins: readonly string[];
  authMode: AuthMode;
  requiredTokenUse: TokenUse;
  /** The caller must be in at least one; empty means none is required. */
  requiredGroups: readonly string[];
  maxBodyBytes: number;
  coreTimeoutMs: number;
  logLevel: EdgeLogLevel;
  /** Forward X-Ray's trace header to the core (the construct sets it with tracing on). */
  forwardTraceHeader: boolean;
  /** Where the Invoke API is, when it is not AWS's (the local Lambda service). */
  lambdaEndpoint?: string;
}

export type EdgeSettingsInput = Pick<EdgeSettings, 'coreTargets' | 'allowedOrigins' | 'authMode'> &
  Partial<Omit<EdgeSettings, 'coreTargets' | 'allowedOrigins' | 'authMode'>>;

export const EDGE_DEFAULTS = {
  requiredTokenUse: PROJECT_DEFAULTS.tokenUse,
  maxBodyBytes: PROJECT_DEFAULTS.maxBodyBytes,
  coreTimeoutMs: PROJECT_DEFAULTS.coreTimeoutMs,
  logLevel: 'info',
} as const satisfies Partial<EdgeSettings>;

type Environment = Readonly<Record<string, string | undefined>>;

/** The variables to deploy the edge with; only what differs from the defaults is left implicit. */
export function writeEdgeEnvironment(input: EdgeSettingsInput): Record<string, string> {
  const v = EDGE_VARIABLES;
  const env: Record<string, string> = {
    [v.coreTargets]: Object.entries(input.coreTargets)
      .map(([core, target]) => `${core}=${target}`)
      .join(','),
    [v.allowedOrigins]: input.allowedOrigins.join(','),
    [v.authMode]: input.authMode,
    [v.requiredTokenUse]: input.requiredTokenUse ?? EDGE_DEFAULTS.requiredTokenUse,
    [v.maxBodyBytes]: String(input.maxBodyBytes ?? EDGE_DEFAULTS.maxBodyBytes),
    [v.coreTimeoutMs]: String(input.coreTimeoutMs ?? EDGE_DEFAULTS.coreTimeoutMs),
    [v.logLevel]: input.logLevel ?? EDGE_DEFAULTS.logLevel,
  };
  if (input.requiredGroups && input.requiredGroups.length > 0) env[v.requiredGroups] = input.requiredGroups.join(',');
  if (input.forwardTraceHeader) env[v.forwardTraceHeader] = 'true';
  if (input.lambdaEndpoint) env[v.lambdaEndpoint] = input.lambdaEndpoint;
  // The reader is the judge: a writer that could not be read back fails where it is written (synth,
  // stack start), not at the edge's first cold start.
  readEdgeEnvironment(env);
  return env;
}

/** Reads and checks every variable; a bad one throws an `EnvironmentError` naming it. */
export function readEdgeEnvironment(env: Environment): EdgeSettings {
  const v = EDGE_VARIABLES;
  const settings: EdgeSettings = {
    coreTargets: coreTargets(required(env, v.coreTargets)),
    allowedOrigins: list(required(env, v.allowedOrigins)),
    authMode: authMode(env[v.authMode]),
    requiredTokenUse: tokenUse(env[v.requiredTokenUse]),
    requiredGroups: list(env[v.requiredGroups] ?? ''),
    maxBodyBytes: integer(env, v.maxBodyBytes, EDGE_DEFAULTS.maxBodyBytes, 1, MAX_BODY_BYTES_LIMIT),
    coreTimeoutMs: integer(env, v.coreTimeoutMs, EDGE_DEFAULTS.coreTimeoutMs, MIN_CORE_TIMEOUT_MS, MAX_CORE_TIMEOUT_MS),
    logLevel: logLevel(env[v.logLevel]),
    forwardTraceHeader: env[v.forwardTraceHeader] === 'true',
  };
  const endpoint = env[v.lambdaEndpoint]?.trim();
  if (endpoint) settings.lambdaEndpoint = endpoint;
  groupsMeaningful(settings);
  return settings;
}

export function required(env: Environment, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new EnvironmentError(name, 'is required but not set');
  return value;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * `figures=gatehouse-figures,ask=arn:aws:lambda:…:function:ask:live`: the route table is bundled,
 * function names are not. The job runner's `CORE_TARGETS` has the same form.
 */
export function coreTargets(value: string): Record<string, string> {
  const targets: Record<string, string> = Object.create(null);
  for (const entry of value.split(',')) {
    const [name = '', ...rest] = entry.split('=');
    const target = rest.join('=').trim();
    if (name.trim() === '' || target === '') {
      throw new EnvironmentError(
        EDGE_VARIABLES.coreTargets,
        `must be "<core>=<function name or ARN>,…" (got ${JSON.stringify(value)})`,
      );
    }
    targets[name.trim()] = target;
  }
  return targets;
}

function authMode(value: string | undefined): AuthMode {
  try {
    return parseAuthMode(value?.trim() || undefined);
  } catch (error) {
    throw new EnvironmentError(
      EDGE_VARIABLES.authMode,
      `must be one of cognito, lambda, iam, none (got ${JSON.stringify(value)})`,
      { cause: error },
    );
  }
}

function tokenUse(value: string | undefined): TokenUse {
  const text = value?.trim() || EDGE_DEFAULTS.requiredTokenUse;
  if (text === 'id' || text === 'access') return text;
  throw new EnvironmentError(
    EDGE_VARIABLES.requiredTokenUse,
    `must be "id" or "access" (got ${JSON.stringify(value)})`,
  );
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new EnvironmentError(name, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return n;
}

function logLevel(value: string | undefined): EdgeLogLevel {
  const text = (value?.trim() || EDGE_DEFAULTS.logLevel).toLowerCase();
  if ((EDGE_LOG_LEVELS as readonly string[]).includes(text)) return text as EdgeLogLevel;
  throw new EnvironmentError(
    EDGE_VARIABLES.logLevel,
    `must be one of ${EDGE_LOG_LEVELS.join(', ')} (got ${JSON.stringify(value)})`,
  );
}

/** IAM callers and anonymous ones belong to no group: requiring one would refuse everybody. */
function groupsMeaningful(settings: EdgeSettings): void {
  if (settings.requiredGroups.length > 0 && (settings.authMode === 'iam' || settings.authMode === 'none')) {
    throw new EnvironmentError(
      EDGE_VARIABLES.requiredGroups,
      `cannot be used with AUTH_MODE=${settings.authMode}: such callers have no groups (with iam, grant access with IAM policies instead)`,
    );
  }
}
