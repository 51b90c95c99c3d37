/**
 * The browser app's runtime configuration: the one generated file (`gatehouse-config.json`) the app
 * fetches at start. `gatehouse dev` writes it for the local stack; `npm run deploy` writes it from
 * the stack outputs. Source is never hand-edited per environment.
 */
import type { AuthMode, LambdaAuthorizerMode } from './auth-modes';
import type { ResolvedProjectConfig } from './resolve-project-config';

/** One route of the project as the local web app's route console lists it. */
export interface WebRoute {
  /** `POST /inference`. */
  key: string;
  description?: string;
  /** A valid input, prefilled in the console's form. */
  example?: unknown;
  /** Sends a JSON body (POST, PUT, PATCH, ANY); otherwise the input travels in the query string. */
  hasBody: boolean;
  /** A job route: answers 202 and is polled at `GET /jobs/{jobId}`. */
  job?: boolean;
}

export interface WebConfig {
  /** Stage base URL; a route `POST /items` is `POST {apiUrl}/items`. */
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Local identity emulator only; absent on AWS. */
  userPoolEndpoint?: string;
  /** `USER_SRP_AUTH` (Amplify's default) locally and on AWS; `USER_PASSWORD_AUTH` is accepted for pools that want it. */
  authFlowType: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** Written by the local stack only: the demo account the sign-in page offers as a hint. */
  localDemoUser?: { username: string; password: string };
  /** Written by the local stack only: where the app reads the local mailbox (codes Cognito would email). */
  localMailboxUrl?: string;
  /**
   * How the API admits callers, so the app never calls a refusal an expired session when signing
   * in again would not help. @default { mode: 'cognito' }
   */
  auth?: { mode: AuthMode; lambda?: LambdaAuthorizerMode };
  /** The project's routes, for the route console. */
  routes?: WebRoute[];
}

/** The routes of a project as the web app's console lists them (no schemas: those are bundled). */
export function webRoutes(config: Pick<ResolvedProjectConfig, 'routes'>): WebRoute[] {
  return config.routes.map((route) => ({
    key: route.key,
    hasBody: route.hasBody,
    ...(route.description !== undefined ? { description: route.description } : {}),
    ...(route.example !== undefined ? { example: route.example } : {}),
    ...(route.job ? { job: true } : {}),
  }));
}

export const WEB_CONFIG_PATH = '/gatehouse-config.json';

export function isWebConfig(value: unknown): value is WebConfig {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.apiUrl === 'string' &&
    typeof v.region === 'string' &&
    typeof v.userPoolId === 'string' &&
    typeof v.userPoolClientId === 'string' &&
    (v.userPoolEndpoint === undefined || typeof v.userPoolEndpoint === 'string') &&
    (v.authFlowType === 'USER_SRP_AUTH' || v.authFlowType === 'USER_PASSWORD_AUTH') &&
    (v.localDemoUser === undefined || isCredentials(v.localDemoUser)) &&
    (v.localMailboxUrl === undefined || typeof v.localMailboxUrl === 'string') &&
    (v.auth === undefined || (typeof v.auth === 'object' && v.auth !== null && 'mode' in v.auth)) &&
    (v.routes === undefined || (Array.isArray(v.routes) && v.routes.every(isWebRoute)))
  );
}

function isWebRoute(value: unknown): value is WebRoute {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.key === 'string' && typeof v.hasBody === 'boolean';
}

function isCredentials(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.username === 'string' && typeof v.password === 'string';
}
