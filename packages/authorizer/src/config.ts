/**
 * The authorizer's configuration, read from the environment once per container. A bad value fails
 * the cold start with a message naming the variable — API Gateway then answers 500, and the log
 * says exactly what to fix.
 */
import { cognitoIssuer, type EmailRule, parseEmailAllowList } from '@gatehouse/contract';

export class AuthorizerConfigError extends Error {
  override name = 'AuthorizerConfigError';
}

export interface EmailAllowListConfig {
  mode: 'email-allowlist';
  issuer: string;
  jwksUri: string;
  clientIds: string[];
  tokenUse: 'id' | 'access';
  allowedEmails: EmailRule[];
}

export interface ApiKeyConfig {
  mode: 'api-key';
  /** SSM parameter (SecureString) holding the hashed key records as JSON. */
  keysParameter: string;
  /** Lower-case header name the key arrives in. */
  header: string;
  /** How long a container trusts the key list it read before reading it again. */
  cacheSeconds: number;
}

export type AuthorizerConfig = EmailAllowListConfig | ApiKeyConfig;

type Env = Record<string, string | undefined>;

export function readAuthorizerConfig(env: Env = process.env): AuthorizerConfig {
  const mode = env.AUTHORIZER_MODE;
  if (mode === 'email-allowlist') return readEmailAllowList(env);
  if (mode === 'api-key') return readApiKey(env);
  throw new AuthorizerConfigError(
    `AUTHORIZER_MODE must be "email-allowlist" or "api-key" (got ${mode === undefined ? 'nothing' : JSON.stringify(mode)})`,
  );
}

function readEmailAllowList(env: Env): EmailAllowListConfig {
  const userPoolId = required(env, 'USER_POOL_ID');
  let issuer = env.ISSUER?.trim();
  if (!issuer) {
    try {
      issuer = cognitoIssuer(userPoolId);
    } catch (error) {
      throw new AuthorizerConfigError(`USER_POOL_ID: ${(error as Error).message}`);
    }
  }
  const clientIds = list(required(env, 'CLIENT_IDS'));
  if (clientIds.length === 0) throw new AuthorizerConfigError('CLIENT_IDS must name at least one app client id');
  const tokenUse = env.TOKEN_USE?.trim() || 'id';
  if (tokenUse !== 'id' && tokenUse !== 'access') {
    throw new AuthorizerConfigError(`TOKEN_USE must be "id" or "access" (got ${JSON.stringify(tokenUse)})`);
  }
  let allowedEmails: EmailRule[];
  try {
    allowedEmails = parseEmailAllowList(required(env, 'ALLOWED_EMAILS'));
  } catch (error) {
    throw new AuthorizerConfigError(`ALLOWED_EMAILS: ${(error as Error).message}`);
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

function readApiKey(env: Env): ApiKeyConfig {
  const header = (env.API_KEY_HEADER?.trim() || 'x-api-key').toLowerCase();
  if (!/^[a-z0-9-]+$/.test(header)) throw new AuthorizerConfigError(`API_KEY_HEADER is not a header name: ${header}`);
  const cacheText = env.API_KEYS_CACHE_SECONDS?.trim() || '60';
  const cacheSeconds = Number(cacheText);
  if (!Number.isInteger(cacheSeconds) || cacheSeconds < 0 || cacheSeconds > 3600) {
    throw new AuthorizerConfigError(`API_KEYS_CACHE_SECONDS must be a whole number from 0 to 3600 (got ${cacheText})`);
  }
  return { mode: 'api-key', keysParameter: required(env, 'API_KEYS_PARAMETER'), header, cacheSeconds };
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new AuthorizerConfigError(`${name} is required`);
  return value;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
