/**
 * What the API expects of a token — the issuer it trusts and the app client ids it accepts — taken
 * from `--issuer`/`--client-id`, from a config file (`--config`: the web app's gatehouse-config.json
 * or the local stack's .gatehouse/local.json), or, for a URL of the running local stack, from its
 * local.json. Without any of these the token is still decoded and explained, only not compared.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cognitoIssuer, isWebConfig } from '@gatehouse/contract';
import { LOCAL_CONFIG_FILE } from '@gatehouse/local';

export interface TokenExpectations {
  issuer?: string;
  clientIds: string[];
  tokenUse: 'id' | 'access';
  /** Where the expectations came from, for the report. */
  source?: string;
}

export class ExpectationsError extends Error {
  override name = 'ExpectationsError';
}

export interface ExpectationOptions {
  url: URL;
  issuer?: string;
  clientIds: string[];
  tokenUse: 'id' | 'access';
  configFile?: string;
  /** Where to look for a running local stack's local.json. */
  stateDir: string;
}

export function loadExpectations(options: ExpectationOptions): TokenExpectations {
  const explicit: TokenExpectations = {
    issuer: options.issuer,
    clientIds: options.clientIds,
    tokenUse: options.tokenUse,
    source: options.issuer || options.clientIds.length > 0 ? 'the command line' : undefined,
  };
  const fromFile = options.configFile
    ? readConfigFile(options.configFile)
    : localStackFor(options.url, path.join(options.stateDir, LOCAL_CONFIG_FILE));
  if (!fromFile) return explicit;
  return {
    issuer: explicit.issuer ?? fromFile.issuer,
    clientIds: explicit.clientIds.length > 0 ? explicit.clientIds : fromFile.clientIds,
    tokenUse: options.tokenUse,
    source: explicit.source ?? fromFile.source,
  };
}

interface FileExpectations {
  issuer: string;
  clientIds: string[];
  source: string;
}

function readConfigFile(file: string): FileExpectations {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ExpectationsError(`--config ${file}: ${(error as Error).message}`);
  }
  const local = asLocalConfig(json);
  if (local) return { ...local, source: file };
  if (isWebConfig(json)) {
    if (json.userPoolEndpoint) {
      throw new ExpectationsError(
        `--config ${file} is a local web config, which does not name the local issuer: use .gatehouse/local.json`,
      );
    }
    return { issuer: cognitoIssuer(json.userPoolId), clientIds: [json.userPoolClientId], source: file };
  }
  throw new ExpectationsError(`--config ${file} is neither a gatehouse-config.json nor a .gatehouse/local.json`);
}

function localStackFor(url: URL, file: string): FileExpectations | undefined {
  if (!existsSync(file)) return undefined;
  const local = asLocalConfig(JSON.parse(readFileSync(file, 'utf8')));
  if (!local || new URL(local.apiUrl).origin !== url.origin) return undefined;
  return { issuer: local.issuer, clientIds: local.clientIds, source: file };
}

function asLocalConfig(json: unknown): { issuer: string; clientIds: string[]; apiUrl: string } | undefined {
  const c = json as { apiUrl?: unknown; cognito?: { issuer?: unknown; clientId?: unknown } } | null;
  if (
    typeof c?.apiUrl === 'string' &&
    typeof c.cognito?.issuer === 'string' &&
    typeof c.cognito.clientId === 'string'
  ) {
    return { issuer: c.cognito.issuer, clientIds: [c.cognito.clientId], apiUrl: c.apiUrl };
  }
  return undefined;
}
