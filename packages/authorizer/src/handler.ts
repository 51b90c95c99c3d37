/**
 * A Lambda authorizer for API Gateway HTTP APIs (payload format 2.0, simple responses), in one of
 * two modes chosen by configuration (see authorize.ts). A refusal is `{ isAuthorized: false }`
 * (API Gateway answers 403); a request without the identity source never reaches this function
 * (API Gateway answers 401). Tokens and keys are never logged.
 */

import { readAuthorizerEnvironment } from '@gatehouse/contract';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { createAuthorizer } from './authorize';
import type { AuthorizerContext } from './authorizer-context';

export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext | Record<string, never>>;

const authorize = createAuthorizer(readAuthorizerEnvironment(process.env));

export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> {
  const { context, reason } = await authorize(event);
  console.log(
    JSON.stringify({
      level: 'info',
      message: 'authorizer decision',
      requestId: event.requestContext?.requestId,
      routeKey: event.routeKey,
      authorized: context !== undefined,
      reason,
      principal: context?.sub,
    }),
  );
  return context ? { isAuthorized: true, context } : { isAuthorized: false, context: {} };
}
