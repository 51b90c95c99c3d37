/**
 * The authorizer's decision, per mode: who the caller is, or why they are refused.
 * - `email-allowlist`: verifies the Cognito token with aws-jwt-verify and admits verified emails on
 *   the list (addresses or whole domains);
 * - `api-key`: admits a key from a header, checked against hashed keys in SSM Parameter Store.
 */

import type { AuthorizerSettings } from '@gatehouse/contract';
import { isEmailAllowed } from '@gatehouse/contract';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { findApiKey } from './api-keys';
import type { AuthorizerContext } from './authorizer-context';
import { KeyStore } from './key-store';
import { createSsmParameterClient, type SsmParameterClient } from './ssm-parameter-client';
import { createTokenVerifier, TokenRejectedError } from './token-verifier';

export interface Decision {
  /** Present when the caller is admitted. */
  context?: AuthorizerContext;
  /** Why, for the log (never sent to the caller). */
  reason: string;
}

export type Authorize = (event: APIGatewayRequestAuthorizerEventV2) => Promise<Decision>;

export function createAuthorizer(
  config: AuthorizerSettings,
  ssm: () => SsmParameterClient = () => createSsmParameterClient(),
): Authorize {
  if (config.mode === 'email-allowlist') {
    const verify = createTokenVerifier(config);
    return async (event) => {
      const token = header(event, 'authorization');
      if (!token) return { reason: 'no Authorization header' };
      let payload: Awaited<ReturnType<typeof verify>>;
      try {
        payload = await verify(token);
      } catch (error) {
        if (error instanceof TokenRejectedError) return { reason: `token rejected: ${error.message}` };
        throw error;
      }
      const email = typeof payload.email === 'string' ? payload.email : undefined;
      const verified = payload.email_verified === true || payload.email_verified === 'true';
      if (!isEmailAllowed(config.allowedEmails, email, verified)) {
        return { reason: verified ? 'email not on the allow-list' : 'email missing or not verified' };
      }
      const groups = payload['cognito:groups'];
      return {
        reason: 'email allowed',
        context: {
          principal: 'user',
          sub: String(payload.sub),
          username: String(payload['cognito:username'] ?? payload.username ?? payload.sub),
          ...(email ? { email } : {}),
          groups: Array.isArray(groups) ? groups.map(String) : [],
        },
      };
    };
  }
  const store = new KeyStore(ssm(), config.keysParameter, config.cacheSeconds);
  return async (event) => {
    const presented = header(event, config.header);
    if (!presented) return { reason: `no ${config.header} header` };
    const record = findApiKey(await store.records(), presented);
    if (!record) return { reason: 'unknown or revoked key' };
    return {
      reason: 'key accepted',
      context: {
        principal: 'api-key',
        sub: `api-key:${record.id}`,
        username: record.id,
        ...(record.owner ? { email: record.owner } : {}),
        groups: record.groups,
      },
    };
  };
}

function header(event: APIGatewayRequestAuthorizerEventV2, name: string): string | undefined {
  const value = event.headers?.[name];
  return value && value.trim() !== '' ? value.trim() : undefined;
}
