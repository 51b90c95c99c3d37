/**
 * The Lambda authorizer's environment: the contract between whoever deploys the authorizer (the CDK
 * construct, the local stack) and the authorizer. Names, defaults and parsing live here once; the
 * writers call `writeAuthorizerEnvironment`, the authorizer `readAuthorizerEnvironment`.
 */
import { cognitoIssuer } from './api';
import { DEFAULT_API_KEYS_CACHE_SECONDS, LAMBDA_AUTHORIZER } from './auth-modes';
import { type EmailRule, parseEmailAllowList } from './email-allow-list';
import { EnvironmentError } from './environment-error';
import { PROJECT_DEFAULTS, type TokenUse } from './project-defaults';

export interface EmailAllowListSettings {
  mode: 'email-allowlist';
  issuer: string;
  jwksUri: string;
  clientIds: string[];
  tokenUse: TokenUse;
  allowedEmails: EmailRule[];
}

export interface ApiKeySettings {
  mode: 'api-key';
  /** SSM parameter (SecureString) holding the hashed key records as JSON. */
  keysParameter: string;
  /** Lower-case header name the key arrives in. */
  header: string;
  /** How long a container trusts the key list it read before reading it again. */
  cacheSeconds: number;
}

export type AuthorizerSettings = EmailAllowListSettings | ApiKeySettings;

/** What a deployer knows: ids and lists as written, before the authorizer parses them. */
export type AuthorizerEnvironmentInput =
  | {
      mode: 'email-allowlist';
      userPoolId: string;
      clientIds: readonly string[];
      tokenUse: TokenUse;
      allowedEmails: readonly string[];
      /** Only where the issuer is not Cognito's (the local identity service). */
      issuer?: string;
      jwksUri?: string;
    }
  | {
      mode: 'api-key';
      keysParameter: string;
      header?: string;
      cacheSeconds?: number;
      /** Only where Parameter Store is not AWS's (the local one). */
      ssmEndpoint?: string;
    };

type Environment = Readonly<Record<string, string | undefined>>;

export function writeAuthorizerEnvironment(input: AuthorizerEnvironmentInput): Record<string, string> {
  let env: Record<string, string>;
  if (input.mode === 'email-allowlist') {
    env = {
      AUTHORIZER_MODE: input.mode,
      USER_POOL_ID: input.userPoolId,
      CLIENT_IDS: input.clientIds.join(','),
      TOKEN_USE: input.tokenUse,
      ALLOWED_EMAILS: input.allowedEmails.join(','),
    };
    if (input.issuer) env.ISSUER = input.issuer;
    if (input.jwksUri) env.JWKS_URI = input.jwksUri;
  } else {
    env = {
      AUTHORIZER_MODE: input.mode,
      API_KEYS_PARAMETER: input.keysParameter,
      API_KEY_HEADER: input.header ?? LAMBDA_AUTHORIZER.apiKeyHeader,
      API_KEYS_CACHE_SECONDS: String(input.cacheSeconds ?? DEFAULT_API_KEYS_CACHE_SECONDS),
    };
    if (input.ssmEndpoint) env.AWS_ENDPOINT_URL_SSM = input.ssmEndpoint;
  }
  // Tokens written by CloudFormation (`${Token[…]}`) are judged by the authorizer once resolved.
  if (!Object.values(env).some((value) => value.includes('${Token['))) readAuthorizerEnvironment(env);
  return env;
}

/** Reads and checks every variable; a bad one throws an `EnvironmentError` naming it. */
export function readAuthorizerEnvironment(env: Environment): AuthorizerSettings {
  const mode = env.AUTHORIZER_MODE;
  if (mode === 'email-allowlist') return readEmailAllowList(env);
  if (mode === 'api-key') return readApiKey(env);
  throw new EnvironmentError(
    'AUTHORIZER_MODE',
    `must be "email-allowlist" or "api-key" (got ${mode === undefined ? 'nothing' : JSON.stringify(mode)})`,
  );
}

function readEmailAllowList(env: Environment): EmailAllowListSettings {
  const userPoolId = required(env, 'USER_POOL_ID');
  let issuer = env.ISSUER?.trim();
  if (!issuer) {
    try {
      issuer = cognitoIssuer(userPoolId);
    } catch (error) {
      throw new EnvironmentError('USER_POOL_ID', `is invalid: ${(error as Error).message}`, { cause: error });
    }
  }
  const clientIds = list(required(env, 'CLIENT_IDS'));
  if (clientIds.length === 0) throw new EnvironmentError('CLIENT_IDS', 'must name at least one app client id');
  const tokenUse = env.TOKEN_USE?.trim() || PROJECT_DEFAULTS.tokenUse;
  if (tokenUse !== 'id' && tokenUse !== 'access') {
    throw new EnvironmentError('TOKEN_USE', `must be "id" or "access" (got ${JSON.stringify(tokenUse)})`);
  }
  let allowedEmails: EmailRule[];
  try {
    allowedEmails = parseEmailAllowList(required(env, 'ALLOWED_EMAILS'));
  } catch (error) {
    if (error instanceof EnvironmentError) throw error;
    throw new EnvironmentError('ALLOWED_EMAILS', `is invalid: ${(error as Error).message}`, { cause: error });
  }
  return {
    mode: 'email-allowlist',
    issuer,
    jwksUri: env.JWKS_URI?.trim() || `${issuer}/.well-known/jwks.json`,
    clientIds,
    tokenUse,
    allowedEmails,
  };
}

function readApiKey(env: Environment): ApiKeySettings {
  const header = (env.API_KEY_HEADER?.trim() || LAMBDA_AUTHORIZER.apiKeyHeader).toLowerCase();
  if (!/^[a-z0-9-]+$/.test(header)) throw new EnvironmentError('API_KEY_HEADER', `is not a header name: ${header}`);
  const cacheText = env.API_KEYS_CACHE_SECONDS?.trim() || String(DEFAULT_API_KEYS_CACHE_SECONDS);
  const cacheSeconds = Number(cacheText);
  if (!Number.isInteger(cacheSeconds) || cacheSeconds < 0 || cacheSeconds > 3600) {
    throw new EnvironmentError('API_KEYS_CACHE_SECONDS', `must be a whole number from 0 to 3600 (got ${cacheText})`);
  }
  return { mode: 'api-key', keysParameter: required(env, 'API_KEYS_PARAMETER'), header, cacheSeconds };
}

function required(env: Environment, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new EnvironmentError(name, 'is required');
  return value;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
