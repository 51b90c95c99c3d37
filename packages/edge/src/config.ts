/**
 * The edge's configuration, read from the environment once per container and validated before the
 * first request: a bad value fails the cold start with a message naming the variable, rather than
 * surfacing later as a confusing answer to a user. Defaults are the secure choice; the allowed
 * origins have none on purpose.
 */
import {
  type AuthMode,
  isOriginAllowed,
  type OriginRule,
  parseAllowedOrigins,
  parseAuthMode,
} from '@gatehouse/contract';
import { ConfigError } from './config-error';
import { type FunctionTarget, parseFunctionTarget } from './function-target';
import { LOG_LEVELS, type LogLevel } from './logger';

export type TokenUse = 'id' | 'access';

export interface EdgeConfig {
  /** Core name (as the project config names it) → the function to invoke. */
  targets: ReadonlyMap<string, FunctionTarget>;
  allowedOrigins: readonly OriginRule[];
  requiredTokenUse: TokenUse;
  /** The caller must be in at least one of these groups; empty means no group is required. */
  requiredGroups: readonly string[];
  maxBodyBytes: number;
  coreTimeoutMs: number;
  logLevel: LogLevel;
  /**
   * How the API in front admits callers, and so the only place the edge trusts an identity from:
   * JWT claims (`cognito`), a Lambda authorizer's context (`lambda`), SigV4 caller fields (`iam`),
   * or nobody (`none`: every caller is `anonymous`).
   */
  authMode: AuthMode;
}

export const DEFAULTS = {
  requiredTokenUse: 'id',
  maxBodyBytes: 262_144,
  coreTimeoutMs: 10_000,
  logLevel: 'info',
} as const;

/** Lambda's synchronous invoke carries at most 6 MB; a body larger than that could never reach the core. */
const MAX_BODY_BYTES_LIMIT = 6 * 1024 * 1024;
/** API Gateway gives up on an HTTP API integration after 30 s. */
const MAX_CORE_TIMEOUT_MS = 30_000;

export type Environment = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Environment): EdgeConfig {
  const config: EdgeConfig = {
    targets: coreTargets(required(env, 'CORE_TARGETS')),
    allowedOrigins: origins(required(env, 'ALLOWED_ORIGINS')),
    requiredTokenUse: tokenUse(env.REQUIRED_TOKEN_USE),
    requiredGroups: (env.REQUIRED_GROUPS ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== ''),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', DEFAULTS.maxBodyBytes, 1, MAX_BODY_BYTES_LIMIT),
    coreTimeoutMs: integer(env, 'CORE_TIMEOUT_MS', DEFAULTS.coreTimeoutMs, 100, MAX_CORE_TIMEOUT_MS),
    logLevel: logLevel(env.LOG_LEVEL),
    authMode: authMode(env.AUTH_MODE),
  };
  requireGroupsMeaningful(config);
  return config;
}

export function originAllowed(config: EdgeConfig, origin: string | undefined): boolean {
  return isOriginAllowed(config.allowedOrigins, origin);
}

export function required(env: Environment, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, 'is required but not set');
  return value;
}

/**
 * `figures=gatehouse-figures,ask=arn:aws:lambda:…:function:ask:live`: which function each core of
 * the project config is, in this deployment. The route table is bundled; function names are not.
 */
export function coreTargets(value: string): Map<string, FunctionTarget> {
  const targets = new Map<string, FunctionTarget>();
  for (const entry of value.split(',')) {
    const [name = '', ...rest] = entry.split('=');
    const target = rest.join('=').trim();
    if (name.trim() === '' || target === '') {
      throw new ConfigError('CORE_TARGETS', `must be "<core>=<function name or ARN>,…" (got ${JSON.stringify(value)})`);
    }
    targets.set(name.trim(), parseFunctionTarget(target));
  }
  return targets;
}

function origins(value: string): OriginRule[] {
  try {
    return parseAllowedOrigins(value);
  } catch (error) {
    throw new ConfigError('ALLOWED_ORIGINS', `is invalid: ${(error as Error).message}`);
  }
}

function authMode(value: string | undefined): AuthMode {
  try {
    return parseAuthMode(value?.trim() || undefined);
  } catch {
    throw new ConfigError('AUTH_MODE', `must be one of cognito, lambda, iam, none (got ${JSON.stringify(value)})`);
  }
}

/** IAM callers and anonymous ones belong to no group: requiring one would refuse everybody. */
function requireGroupsMeaningful(config: EdgeConfig): void {
  if (config.requiredGroups.length > 0 && (config.authMode === 'iam' || config.authMode === 'none')) {
    throw new ConfigError(
      'REQUIRED_GROUPS',
      `cannot be used with AUTH_MODE=${config.authMode}: such callers have no groups (with iam, grant access with IAM policies instead)`,
    );
  }
}

function tokenUse(value: string | undefined): TokenUse {
  const text = value?.trim() || DEFAULTS.requiredTokenUse;
  if (text === 'id' || text === 'access') return text;
  throw new ConfigError('REQUIRED_TOKEN_USE', `must be "id" or "access" (got ${JSON.stringify(value)})`);
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return n;
}

function logLevel(value: string | undefined): LogLevel {
  const text = (value?.trim() || DEFAULTS.logLevel).toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(value)})`);
}
