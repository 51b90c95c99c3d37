/**
 * `.gatehouse/local.json`: what a running local stack tells scripts, tests and `gatehouse token`
 * about itself — exactly the keys issue 3 names, nothing more, so readers can rely on the shape.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuthMode, LambdaAuthorizerOption } from '@gatehouse/contract';

export interface LocalConfig {
  /** Stage base URL; the route is `POST {apiUrl}/inference`. */
  apiUrl: string;
  webUrl: string;
  allowedOrigins: string[];
  lambdaEndpoint: string;
  cognito: { endpoint: string; region: string; userPoolId: string; clientId: string; issuer: string };
  demoUser: { username: string; password: string };
}

export const LOCAL_CONFIG_FILE = 'local.json';

export class LocalConfigMissingError extends Error {
  constructor(readonly file: string) {
    super(`No local stack configuration at ${file}. Start the stack first: npm start (or npx gatehouse dev).`);
    this.name = 'LocalConfigMissingError';
  }
}

export function writeLocalConfig(stateDir: string, config: LocalConfig): string {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, LOCAL_CONFIG_FILE);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

export function readLocalConfig(stateDir: string): LocalConfig {
  const file = path.join(stateDir, LOCAL_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new LocalConfigMissingError(file);
  }
  return JSON.parse(text) as LocalConfig;
}

/**
 * `<stateDir>/services.json`: what scripts need beyond the documented `local.json` — the Parameter
 * Store that `gatehouse keys --local` talks to, the auth mode, and in `iam` mode the local
 * credential to sign requests with (the same as `iam-credentials.json`, which is kept across starts).
 */
export interface LocalServices {
  ssmEndpoint: string;
  region: string;
  authMode: AuthMode;
  /** In `lambda` mode, the authorizer's kind and (email allow-list) the list, for `gatehouse doctor`. */
  lambda?: LambdaAuthorizerOption;
  iam?: { accessKeyId: string; secretAccessKey: string; region: string };
}

export const LOCAL_SERVICES_FILE = 'services.json';

/** `services.json` names none of a running stack's services, or is not the file the stack writes. */
export class LocalServicesError extends Error {
  override name = 'LocalServicesError';
}

export function writeServices(stateDir: string, services: LocalServices): void {
  mkdirSync(stateDir, { recursive: true });
  // It may hold the local IAM secret: readable by its owner only.
  const file = path.join(stateDir, LOCAL_SERVICES_FILE);
  writeFileSync(file, `${JSON.stringify(services, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The one reader of `services.json`, for every command and test that finds the running stack's
 * services through it. A missing file means no stack has run here; a malformed one is named.
 */
export function readServices(stateDir: string): LocalServices {
  const file = path.join(stateDir, LOCAL_SERVICES_FILE);
  let parsed: Partial<LocalServices>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalServices>;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new LocalServicesError(
      missing
        ? `the local stack is not running (no ${file}); start it with npx gatehouse dev`
        : `${file} is not the file gatehouse dev writes: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (typeof parsed.ssmEndpoint !== 'string' || typeof parsed.authMode !== 'string') {
    throw new LocalServicesError(`${file} names no ssmEndpoint or authMode: restart gatehouse dev to rewrite it`);
  }
  return { region: 'us-east-1', ...parsed } as LocalServices;
}
