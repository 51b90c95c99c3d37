/**
 * `.gatehouse/local.json`: what a running local stack tells scripts, tests and `gatehouse token`
 * about itself — exactly the keys issue 3 names, nothing more, so readers can rely on the shape.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
 * `<stateDir>/services.json`: endpoints of the stack's supporting services that are not part of
 * the documented `local.json` (today the Parameter Store that `gatehouse keys --local` talks to).
 */
export function writeServices(stateDir: string, services: { ssmEndpoint: string; region: string }): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(path.join(stateDir, 'services.json'), `${JSON.stringify(services, null, 2)}\n`);
}
