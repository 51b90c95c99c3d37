/**
 * What the doctor knows about the API it probes before sending anything: how callers are admitted
 * (the auth mode, and for the Lambda authorizer its kind and allow-list) and whether it is the
 * running local stack. For a URL of the local stack, the mode comes from `<stateDir>/services.json`,
 * which `gatehouse dev` writes; for a deployed API, from `--auth`. Every explanation and every fix
 * the doctor prints depends on both: a 403 means a missing scope under the JWT authorizer but an
 * email off the list under the Lambda authorizer, and a local fix is a restart, never a deploy.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuthMode, LambdaAuthorizerMode } from '@gatehouse/contract';
import {
  LOCAL_CONFIG_FILE,
  LOCAL_SERVICES_FILE,
  type LocalConfig,
  type LocalServices,
  readServices,
} from '@gatehouse/local';
import { stateDirArgument } from '../cli/state-dir';

export type DoctorAuth =
  | { mode: 'cognito' }
  /** `authorizer` and `allowedEmails` are known for the local stack, or when given on the command line. */
  | { mode: 'lambda'; authorizer?: LambdaAuthorizerMode; allowedEmails?: readonly string[] }
  | { mode: 'iam' }
  | { mode: 'none' };

/** The running local stack the URL belongs to. */
export interface LocalStack {
  stateDir: string;
  config: LocalConfig;
  services: LocalServices;
  /** What a printed `npx gatehouse …` command needs to find this state directory (often nothing). */
  stateDirArgument: string;
}

export interface DoctorTarget {
  auth: DoctorAuth;
  /** Where the mode came from, for the report. */
  authSource: string;
  /** A loopback URL: advice is about `gatehouse dev`, never about deploying. */
  isLocal: boolean;
  /** Present when the URL is the running local stack's (its local.json names the same origin). */
  local?: LocalStack;
  /** The mode the command line asked for, when the local stack runs another one. */
  requested?: DoctorAuth;
}

/** What the doctor assumes without being told: a deployed API behind the JWT authorizer. */
export const DEPLOYED_COGNITO: DoctorTarget = {
  auth: { mode: 'cognito' },
  authSource: 'the default (pass --auth if the API uses another mode)',
  isLocal: false,
};

export interface TargetOptions {
  url: URL;
  /** `--auth`, `--authorizer` as given. */
  auth?: DoctorAuth;
  stateDir: string;
  env: Record<string, string | undefined>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname);
}

export function resolveTarget(options: TargetOptions): DoctorTarget {
  const isLocal = isLoopback(options.url);
  const local = isLocal ? findLocalStack(options.url, options.stateDir, options.env) : undefined;
  if (!local) {
    return {
      auth: options.auth ?? { mode: 'cognito' },
      authSource: options.auth ? '--auth' : 'the default (pass --auth if the API uses another mode)',
      isLocal,
    };
  }
  const auth = authOfServices(local.services);
  const requested = options.auth && !sameAuth(options.auth, auth) ? options.auth : undefined;
  return {
    auth,
    authSource: path.join(local.stateDir, LOCAL_SERVICES_FILE),
    isLocal,
    local,
    ...(requested ? { requested } : {}),
  };
}

export function describeAuth(auth: DoctorAuth): string {
  switch (auth.mode) {
    case 'cognito':
      return 'cognito (API Gateway JWT authorizer: a Cognito ID token)';
    case 'lambda':
      if (auth.authorizer === 'api-key') return 'lambda authorizer, API keys (x-api-key header)';
      if (auth.authorizer === 'email-allowlist') {
        const list = auth.allowedEmails ? `: ${auth.allowedEmails.join(', ')}` : '';
        return `lambda authorizer, email allow-list${list} (a Cognito ID token)`;
      }
      return 'lambda authorizer';
    case 'iam':
      return 'iam (SigV4-signed requests)';
    case 'none':
      return 'none (public)';
  }
}

/** The `gatehouse dev` flags that start the local stack in this mode. */
export function devFlags(auth: DoctorAuth): string {
  switch (auth.mode) {
    case 'cognito':
      return '';
    case 'lambda': {
      const kind = auth.authorizer === 'api-key' ? ' --authorizer api-key' : '';
      const emails = auth.allowedEmails ? ` --allowed-emails '${auth.allowedEmails.join(',')}'` : '';
      return ` --auth lambda${kind}${emails}`;
    }
    case 'iam':
      return ' --auth iam';
    case 'none':
      return ' --auth none --i-understand-this-is-public';
  }
}

/** The Lambda authorizer's kind, when known: the allow-list unless told it is API keys. */
export function lambdaKind(auth: DoctorAuth): LambdaAuthorizerMode | undefined {
  return auth.mode === 'lambda' ? auth.authorizer : undefined;
}

function authOfServices(services: LocalServices): DoctorAuth {
  const mode: AuthMode = services.authMode;
  if (mode !== 'lambda') return { mode };
  const lambda = services.lambda;
  if (!lambda) return { mode };
  return lambda.kind === 'email-allowlist'
    ? { mode, authorizer: lambda.kind, allowedEmails: lambda.allowedEmails }
    : { mode, authorizer: lambda.kind };
}

function sameAuth(asked: DoctorAuth, running: DoctorAuth): boolean {
  if (asked.mode !== running.mode) return false;
  const askedKind = lambdaKind(asked);
  return askedKind === undefined || askedKind === lambdaKind(running);
}

function findLocalStack(url: URL, stateDir: string, env: Record<string, string | undefined>): LocalStack | undefined {
  const configFile = path.join(stateDir, LOCAL_CONFIG_FILE);
  if (!existsSync(configFile)) return undefined;
  const config = readJson(configFile) as LocalConfig | undefined;
  const services = servicesOf(stateDir);
  if (typeof config?.apiUrl !== 'string' || services === undefined) return undefined;
  if (new URL(config.apiUrl).origin !== url.origin) return undefined;
  return { stateDir, config, services, stateDirArgument: stateDirArgument(stateDir, env) };
}

/** A file half-written by a stack that is starting reads as no stack; the probes then say more. */
function servicesOf(stateDir: string): LocalServices | undefined {
  try {
    return readServices(stateDir);
  } catch {
    return undefined;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // A file half-written by a stack that is starting reads as no stack; the probes then say more.
    return undefined;
  }
}
