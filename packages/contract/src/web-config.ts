/**
 * The browser app's runtime configuration: the one generated file (`gatehouse-config.json`) the app
 * fetches at start. `gatehouse dev` writes it for the local stack; `npm run deploy` writes it from
 * the stack outputs. Source is never hand-edited per environment.
 */
export interface WebConfig {
  /** Stage base URL; the route is `POST {apiUrl}/inference`. */
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
    (v.localMailboxUrl === undefined || typeof v.localMailboxUrl === 'string')
  );
}

function isCredentials(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.username === 'string' && typeof v.password === 'string';
}
