/**
 * The few Cognito user-pool API calls the local stack makes itself, as plain JSON posts (the
 * emulator does not check signatures): signing in for `gatehouse token`, the dev summary's curl,
 * tests and benches, and the refresh flow the front translates.
 */

export class CognitoApiError extends Error {
  constructor(
    readonly type: string,
    readonly detail: string,
    readonly status: number,
  ) {
    super(`${type}: ${detail}`);
    this.name = 'CognitoApiError';
  }
}

export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: string;
}

/** The emulator answers in milliseconds; a call that takes this long is a hung emulator, not a slow one. */
const COGNITO_CALL_TIMEOUT_MS = 10_000;

export async function callCognito<T>(endpoint: string, operation: string, body: unknown): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(COGNITO_CALL_TIMEOUT_MS),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    const type = String(parsed.__type ?? parsed.code ?? response.headers.get('x-amzn-errortype') ?? 'CognitoError');
    throw new CognitoApiError(type, String(parsed.message ?? parsed.Message ?? text), response.status);
  }
  return parsed as T;
}

/** Signs in with a password (`USER_PASSWORD_AUTH`, the flow the emulator supports). */
export async function signIn(
  endpoint: string,
  clientId: string,
  username: string,
  password: string,
): Promise<AuthenticationResult> {
  const answer = await callCognito<{ AuthenticationResult?: AuthenticationResult }>(endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (!answer.AuthenticationResult)
    throw new CognitoApiError('ChallengeRequired', `${username} must answer a challenge before signing in`, 200);
  return answer.AuthenticationResult;
}
