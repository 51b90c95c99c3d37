/**
 * What the gatehouse CDK app deploys, read from a JSON file (`--context config=<path>`, default
 * `gatehouse.deploy.json` beside cdk.json when it exists) and from single `--context key=value`
 * overrides, which win. Every key is optional except where noted; an unknown key is an error, so a
 * typo never silently deploys the default.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type AuthMode, parseAuthMode } from '@gatehouse/contract';
import { Duration, type Environment } from 'aws-cdk-lib';
import { GatehouseConfigError } from './errors';
import type { GatehouseApiProps } from './gatehouse-api';
import type { AuthOption } from './route-authorizer';

export interface DeployConfig {
  stackName?: string;
  account?: string;
  region?: string;
  /** Comma-separated or a list. Without it the API admits only the local web app (http://localhost:5173). */
  allowedOrigins?: string | string[];
  /** Existing pool: its id and the web app's client id(s). Omit both for a new pool. */
  userPoolId?: string;
  userPoolClientIds?: string | string[];
  /** Existing core Lambda, by name or ARN. Omit for the sample core. */
  coreFunction?: string;
  stageName?: string;
  edgeMemoryMb?: number;
  edgeTimeoutSeconds?: number;
  coreTimeoutMs?: number;
  tokenUse?: 'id' | 'access';
  requiredGroups?: string | string[];
  throttleRate?: number;
  throttleBurst?: number;
  tracing?: boolean;
  alarmTopicArn?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** `cognito` (default), `lambda`, `iam` or `none`. */
  auth?: string;
  /** With auth `lambda`: `email-allowlist` (needs allowedEmails) or `api-key`. */
  lambdaAuthorizer?: string;
  allowedEmails?: string | string[];
  apiKeysParameter?: string;
  /** Required, as `true`, with auth `none`. */
  acknowledgePublic?: boolean;
}

export const DEFAULT_CONFIG_FILE = 'gatehouse.deploy.json';
export const DEV_ORIGIN = 'http://localhost:5173';

const KEYS: Record<keyof DeployConfig, 'string' | 'number' | 'boolean' | 'list'> = {
  stackName: 'string',
  account: 'string',
  region: 'string',
  allowedOrigins: 'list',
  userPoolId: 'string',
  userPoolClientIds: 'list',
  coreFunction: 'string',
  stageName: 'string',
  edgeMemoryMb: 'number',
  edgeTimeoutSeconds: 'number',
  coreTimeoutMs: 'number',
  tokenUse: 'string',
  requiredGroups: 'list',
  throttleRate: 'number',
  throttleBurst: 'number',
  tracing: 'boolean',
  alarmTopicArn: 'string',
  logLevel: 'string',
  auth: 'string',
  lambdaAuthorizer: 'string',
  allowedEmails: 'list',
  apiKeysParameter: 'string',
  acknowledgePublic: 'boolean',
};

export type ContextReader = (key: string) => unknown;

/** Merges the config file and the context overrides into one checked `DeployConfig`. */
export function readDeployConfig(context: ContextReader, baseDir: string): DeployConfig {
  const explicitFile = context('config');
  const file =
    typeof explicitFile === 'string' ? path.resolve(baseDir, explicitFile) : path.join(baseDir, DEFAULT_CONFIG_FILE);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new GatehouseConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  } else if (typeof explicitFile === 'string') {
    throw new GatehouseConfigError(`config file ${file} does not exist`);
  }
  for (const key of Object.keys(fromFile)) {
    if (!(key in KEYS))
      throw new GatehouseConfigError(`${file}: unknown key "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
  }
  const config: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(KEYS)) {
    const raw = context(key) ?? fromFile[key];
    if (raw !== undefined) config[key] = coerce(key, kind, raw);
  }
  return config as DeployConfig;
}

function coerce(key: string, kind: string, raw: unknown): unknown {
  switch (kind) {
    case 'list':
      if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw;
      if (typeof raw === 'string')
        return raw
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '');
      break;
    case 'number': {
      const n = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      break;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      break;
    default:
      if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  }
  throw new GatehouseConfigError(`${key} must be a ${kind} (got ${JSON.stringify(raw)})`);
}

/** Turns a `DeployConfig` into the construct's props (the alarm topic is resolved by the caller). */
export function toGatehouseProps(config: DeployConfig): GatehouseApiProps {
  if ((config.userPoolId === undefined) !== (config.userPoolClientIds === undefined)) {
    throw new GatehouseConfigError(
      'userPoolId and userPoolClientIds go together: give both for an existing pool, or neither for a new one',
    );
  }
  if (config.tokenUse !== undefined && config.tokenUse !== 'id' && config.tokenUse !== 'access') {
    throw new GatehouseConfigError(`tokenUse must be "id" or "access" (got "${config.tokenUse}")`);
  }
  if ((config.throttleRate === undefined) !== (config.throttleBurst === undefined)) {
    throw new GatehouseConfigError('throttleRate and throttleBurst go together');
  }
  return {
    allowedOrigins: config.allowedOrigins ?? [DEV_ORIGIN],
    userPool:
      config.userPoolId !== undefined
        ? { kind: 'existing', userPoolId: config.userPoolId, clientIds: toList(config.userPoolClientIds) }
        : { kind: 'new' },
    core: config.coreFunction !== undefined ? { kind: 'existing', function: config.coreFunction } : { kind: 'sample' },
    stageName: config.stageName,
    edgeMemorySize: config.edgeMemoryMb,
    edgeTimeout: config.edgeTimeoutSeconds !== undefined ? Duration.seconds(config.edgeTimeoutSeconds) : undefined,
    coreTimeout: config.coreTimeoutMs !== undefined ? Duration.millis(config.coreTimeoutMs) : undefined,
    tokenUse: config.tokenUse,
    requiredGroups: config.requiredGroups !== undefined ? toList(config.requiredGroups) : undefined,
    throttling:
      config.throttleRate !== undefined && config.throttleBurst !== undefined
        ? { rateLimit: config.throttleRate, burstLimit: config.throttleBurst }
        : undefined,
    tracing: config.tracing,
    logLevel: config.logLevel,
    auth: toAuthOption(config),
  };
}

function toAuthOption(config: DeployConfig): AuthOption {
  let mode: AuthMode;
  try {
    mode = parseAuthMode(config.auth);
  } catch (error) {
    throw new GatehouseConfigError((error as Error).message);
  }
  refuseKeysOfOtherModes(config, mode);
  switch (mode) {
    case 'cognito':
    case 'iam':
      return { mode };
    case 'none':
      return { mode, acknowledgePublic: config.acknowledgePublic === true };
    case 'lambda':
      if (config.lambdaAuthorizer === 'email-allowlist') {
        return { mode, lambda: { kind: 'email-allowlist', allowedEmails: toList(config.allowedEmails) } };
      }
      if (config.lambdaAuthorizer === 'api-key') {
        return { mode, lambda: { kind: 'api-key', keysParameterName: config.apiKeysParameter } };
      }
      throw new GatehouseConfigError(
        `auth "lambda" needs lambdaAuthorizer "email-allowlist" or "api-key" (got ${JSON.stringify(config.lambdaAuthorizer)})`,
      );
  }
}

/**
 * A setting that belongs to another mode is a mistake, not a no-op: `allowedEmails` without
 * `auth: "lambda"` would otherwise deploy the default (any user of the pool may call the core).
 */
function refuseKeysOfOtherModes(config: DeployConfig, mode: AuthMode): void {
  const keysOf: Record<string, AuthMode> = {
    lambdaAuthorizer: 'lambda',
    allowedEmails: 'lambda',
    apiKeysParameter: 'lambda',
    acknowledgePublic: 'none',
  };
  for (const [key, owner] of Object.entries(keysOf)) {
    if (owner !== mode && config[key as keyof DeployConfig] !== undefined) {
      throw new GatehouseConfigError(
        `${key} only applies with auth "${owner}", but auth is "${mode}"${config.auth === undefined ? ' (the default)' : ''}: ` +
          `set "auth": "${owner}" or remove ${key}`,
      );
    }
  }
}

export function toEnvironment(config: DeployConfig): Environment {
  return {
    account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: config.region ?? process.env.CDK_DEFAULT_REGION,
  };
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value;
}
