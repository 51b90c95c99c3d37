/**
 * Where and how the gatehouse CDK app deploys, per environment: read from a JSON file (`--context
 * config=<path>`, default `gatehouse.deploy.json` beside cdk.json when it exists) and from single
 * `--context key=value` overrides, which win. What the API is — routes, cores, auth — is the
 * project config's (`gatehouse.config.ts`); the keys here that overlap it (origins, auth, the core,
 * groups, deadline) override it for one deployment. An unknown key is an error, so a typo never
 * silently deploys the default. The app (gatehouse-app.ts) reads it; the construct never does.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type AuthMode, type AuthOption, parseAuthMode, type ResolvedProjectConfig } from '@gatehouse/contract';
import { Duration, type Environment } from 'aws-cdk-lib';
import { ArnPrincipal } from 'aws-cdk-lib/aws-iam';
import { GatehouseConfigError } from './errors';
import { GatehouseAuth } from './gatehouse-auth';
import type { GatehouseStackProps } from './gatehouse-stack';

export interface DeployConfig {
  stackName?: string;
  account?: string;
  region?: string;
  /** Comma-separated or a list. Without it the API admits only the local web app (http://localhost:5173). */
  allowedOrigins?: string | string[];
  /** Existing pool: its id and the web app's client id(s). Omit both for a new pool. */
  userPoolId?: string;
  userPoolClientIds?: string | string[];
  /** Existing core Lambda, by name or ARN, for a project with one core. */
  coreFunction?: string;
  /** Let anyone sign up to a pool gatehouse creates. Default false. */
  selfSignUp?: boolean;
  /** Reserved concurrency of the edge, or "none". Default: the throttling burst. */
  edgeReservedConcurrency?: number | 'none';
  /** Ship source maps and --enable-source-maps. Default false. */
  sourceMaps?: boolean;
  /** Required, as `true`, for a core in another account. */
  acknowledgeCrossAccountCores?: boolean;
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
  /**
   * IAM role or user ARNs that may assume each core's execution role, for `credentials:
   * { assumeRole: 'deployed' }` locally (docs/CORES-ON-AWS.md). Default: none.
   */
  developerAccess?: string | string[];
}

export const DEFAULT_CONFIG_FILE = 'gatehouse.deploy.json';
export const DEV_ORIGIN = 'http://localhost:5173';

const KEYS: Record<keyof DeployConfig, 'string' | 'number' | 'boolean' | 'list' | 'concurrency'> = {
  stackName: 'string',
  account: 'string',
  region: 'string',
  allowedOrigins: 'list',
  userPoolId: 'string',
  userPoolClientIds: 'list',
  coreFunction: 'string',
  selfSignUp: 'boolean',
  edgeReservedConcurrency: 'concurrency',
  sourceMaps: 'boolean',
  acknowledgeCrossAccountCores: 'boolean',
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
  developerAccess: 'list',
};

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)\/[A-Za-z0-9+=,.@_/-]+)$/;

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
      throw new GatehouseConfigError(`${file} is not valid JSON: ${(error as Error).message}`, undefined, {
        cause: error,
      });
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
    case 'concurrency':
      if (raw === 'none') return raw;
      return coerce(key, 'number', raw);
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      break;
    default:
      if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  }
  throw new GatehouseConfigError(`${key} must be a ${kind} (got ${JSON.stringify(raw)})`);
}

/** The project with this deployment's core override applied (a project config is plain data). */
export function applyDeployOverrides(project: ResolvedProjectConfig, config: DeployConfig): ResolvedProjectConfig {
  if (config.coreFunction === undefined) return project;
  const [core, ...others] = project.cores;
  if (!core || others.length > 0) {
    throw new GatehouseConfigError(
      `coreFunction names one core, but the project has ${project.cores.length} (${project.cores.map((c) => c.name).join(', ')}): ` +
        'set cores.<name>.existing in the project config instead',
    );
  }
  return { ...project, cores: [{ ...core, existing: config.coreFunction }] };
}

/** Turns a `DeployConfig` into the stack's props (the alarm topic is resolved by the stack). */
export function toStackProps(config: DeployConfig, project: ResolvedProjectConfig, configFile?: string) {
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
  if (config.userPoolId !== undefined && config.selfSignUp !== undefined) {
    throw new GatehouseConfigError(
      'selfSignUp applies to a pool gatehouse creates, but userPoolId names an existing one',
    );
  }
  const auth = toAuthOption(config);
  return {
    existingUserPool:
      config.userPoolId !== undefined
        ? { userPoolId: config.userPoolId, clientIds: toList(config.userPoolClientIds) }
        : undefined,
    alarmTopicArn: config.alarmTopicArn,
    gatehouse: {
      project: applyDeployOverrides(project, config),
      configFile,
      allowedOrigins: config.allowedOrigins ?? (project.origins.length > 0 ? undefined : [DEV_ORIGIN]),
      auth: auth && GatehouseAuth.fromOption(auth),
      newUserPool: config.selfSignUp !== undefined ? { selfSignUp: config.selfSignUp } : undefined,
      acknowledgeCrossAccountCores: config.acknowledgeCrossAccountCores,
      edgeReservedConcurrency: config.edgeReservedConcurrency,
      sourceMaps: config.sourceMaps,
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
      developerAccess: developerPrincipals(config.developerAccess),
    },
  } satisfies GatehouseStackProps;
}

function developerPrincipals(value: DeployConfig['developerAccess']): ArnPrincipal[] | undefined {
  if (value === undefined) return undefined;
  return toList(value).map((arn) => {
    if (!PRINCIPAL_ARN.test(arn)) {
      throw new GatehouseConfigError(
        `developerAccess: "${arn}" is not an IAM role, user or account ARN (arn:aws:iam::123456789012:role/name)`,
      );
    }
    return new ArnPrincipal(arn);
  });
}

/** The deployment's auth, when it sets one; otherwise the project config's stands. */
function toAuthOption(config: DeployConfig): AuthOption | undefined {
  let mode: AuthMode;
  try {
    mode = parseAuthMode(config.auth);
  } catch (error) {
    throw new GatehouseConfigError((error as Error).message, undefined, { cause: error });
  }
  refuseKeysOfOtherModes(config, mode);
  if (config.auth === undefined) return undefined;
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
