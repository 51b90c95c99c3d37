/**
 * Calls to the Cognito user-pool API as the local stack makes them itself: plain JSON posts for
 * the user operations (signing in for `gatehouse token`, the dev summary, tests and benches), and
 * SigV4-signed posts for the admin operations, which the local pool, like AWS, refuses unsigned.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalCredential } from '../iam';
import type { AuthenticationResult } from './tokens';

export type { AuthenticationResult } from './tokens';

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

/** The service answers in milliseconds; a call that takes this long is a hung service, not a slow one. */
const COGNITO_CALL_TIMEOUT_MS = 10_000;

export interface AdminSigning {
  credential: Pick<LocalCredential, 'accessKeyId' | 'secretAccessKey'>;
  region: string;
}

export async function callCognito<T>(
  endpoint: string,
  operation: string,
  body: unknown,
  signing?: AdminSigning,
): Promise<T> {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  let headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
  };
  if (signing) {
    const signer = new SignatureV4({
      service: 'cognito-idp',
      region: signing.region,
      sha256: Sha256,
      credentials: signing.credential,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: '/',
      headers: { ...headers, host: url.host },
      body: payload,
    });
    headers = signed.headers as Record<string, string>;
  }
  const response = await fetch(new URL('/', url), {
    method: 'POST',
    headers,
    body: payload,
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

/**
 * Signs in with a password (`USER_PASSWORD_AUTH`): scripts and the CLI hold the password anyway;
 * the browser app signs in with SRP, as on AWS.
 */
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
