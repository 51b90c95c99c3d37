/**
 * The edge's configuration, read from the environment once per container and validated before the
 * first request: a bad value fails the cold start with a message naming the variable, rather than
 * surfacing later as a confusing answer to a user. Names, defaults and bounds are the contract's
 * (`readEdgeEnvironment`, which the construct and the local stack write through); here they become
 * what the edge works with — invoke targets and origin rules. The allowed origins have no default.
 */
import {
  type AuthMode,
  EDGE_VARIABLES,
  EnvironmentError,
  isOriginAllowed,
  type OriginRule,
  parseAllowedOrigins,
  readEdgeEnvironment,
  type TokenUse,
} from '@gatehouse/contract';
import { type FunctionTarget, parseFunctionTarget } from './function-target';
import type { LogLevel } from './logger';

export type { TokenUse };

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

export type Environment = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Environment): EdgeConfig {
  const settings = readEdgeEnvironment(env);
  return {
    targets: new Map(Object.entries(settings.coreTargets).map(([core, target]) => [core, parseFunctionTarget(target)])),
    allowedOrigins: origins(settings.allowedOrigins),
    requiredTokenUse: settings.requiredTokenUse,
    requiredGroups: settings.requiredGroups,
    maxBodyBytes: settings.maxBodyBytes,
    coreTimeoutMs: settings.coreTimeoutMs,
    logLevel: settings.logLevel,
    authMode: settings.authMode,
  };
}

export function originAllowed(config: EdgeConfig, origin: string | undefined): boolean {
  return isOriginAllowed(config.allowedOrigins, origin);
}

function origins(list: readonly string[]): OriginRule[] {
  try {
    return parseAllowedOrigins(list);
  } catch (error) {
    throw new EnvironmentError(EDGE_VARIABLES.allowedOrigins, `is invalid: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
