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
  /** `USER_PASSWORD_AUTH` locally (the emulator has no SRP); `USER_SRP_AUTH` on AWS. */
  authFlowType: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
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
    (v.authFlowType === 'USER_SRP_AUTH' || v.authFlowType === 'USER_PASSWORD_AUTH')
  );
}
