/**
 * API Gateway HTTP API's Lambda authorizer, payload format 2.0 with simple responses, as the real
 * service runs it:
 * - the identity sources are evaluated first; one missing or empty → 401 without calling the function;
 * - a cached decision for the same identity-source values is reused for the TTL (allows and denies);
 * - otherwise the function is called through the Lambda Invoke API with the 2.0 authorizer event
 *   (`type: REQUEST`, `routeArn`, `identitySource`, and the request as the integration would see it),
 *   within API Gateway's 10 s authorizer timeout;
 * - `{ isAuthorized: true, context }` admits, the context reaching the integration as
 *   `requestContext.authorizer.lambda`; `isAuthorized: false` → 403; a function error, a timeout, an
 *   unreachable Lambda service or an answer of any other shape → 500.
 */
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { AuthorizerCache } from './authorizer-cache';
import { type AuthorizationRequest, type AuthorizerVerdict, type RouteAuthorizer, refused } from './authorizer-verdict';
import type { HttpApiEventV2 } from './event-v2';
import { gatewayError } from './gateway-responses';
import { type IdentitySource, parseIdentitySource } from './identity-source';
import { AuthorizerConfigError } from './jwt-authorizer';
import type { FunctionInvoker } from './lambda-invoke';

export interface LambdaAuthorizerOptions {
  type: 'lambda';
  /** The authorizer function's name in the Lambda service. */
  functionName: string;
  /** Selection expressions, e.g. `['$request.header.x-api-key']`. */
  identitySource: readonly string[];
  /** 0 turns caching off; AWS allows up to 3,600 (default 300, `LAMBDA_AUTHORIZER` in the contract). */
  resultsCacheTtlSeconds: number;
  /** Only simple responses (`{ isAuthorized, context }`) are emulated, not IAM-policy responses. */
  enableSimpleResponses: true;
}

/** API Gateway's limits for HTTP API Lambda authorizers. */
export const LAMBDA_AUTHORIZER_LIMITS = { timeoutMs: 10_000, maxResultsCacheTtlSeconds: 3_600 } as const;

export interface LambdaAuthorizerContext {
  /** The Lambda service, over HTTP or in this process. */
  invoke: FunctionInvoker;
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  timeoutMs: number;
}

/** The 2.0 authorizer event; `cookies` is absent when the request has none, as in the integration's event. */
export type AuthorizerEventV2 = Omit<APIGatewayRequestAuthorizerEventV2, 'cookies'> & { cookies?: string[] };

type Decision = { isAuthorized: true; context: Record<string, unknown> } | { isAuthorized: false };

class MalformedAuthorizerResponseError extends Error {
  override name = 'MalformedAuthorizerResponseError';
}

export class LambdaAuthorizer implements RouteAuthorizer {
  private readonly sources: IdentitySource[];
  private readonly cache: AuthorizerCache<Decision>;

  constructor(
    private readonly options: LambdaAuthorizerOptions,
    private readonly context: LambdaAuthorizerContext,
  ) {
    const ttl = options.resultsCacheTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > LAMBDA_AUTHORIZER_LIMITS.maxResultsCacheTtlSeconds) {
      throw new AuthorizerConfigError(
        `resultsCacheTtlSeconds must be an integer from 0 to ${LAMBDA_AUTHORIZER_LIMITS.maxResultsCacheTtlSeconds} (got ${ttl})`,
      );
    }
    if (ttl > 0 && options.identitySource.length === 0) {
      throw new AuthorizerConfigError('a Lambda authorizer that caches its results needs at least one identity source');
    }
    if (options.functionName.trim() === '')
      throw new AuthorizerConfigError('the Lambda authorizer needs a functionName');
    this.sources = options.identitySource.map(parseIdentitySource);
    this.cache = new AuthorizerCache(ttl);
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizerVerdict> {
    const values: string[] = [];
    for (const source of this.sources) {
      const value = source.valueIn(request.event);
      if (value === undefined) return refused(gatewayError(401), `identity source ${source.expression} is missing`);
      values.push(value);
    }
    const key = JSON.stringify(values);
    const cached = this.cache.get(key);
    if (cached) return verdictOf(cached, ' (cached)');

    const invoked = await this.context.invoke({
      functionName: this.options.functionName,
      event: this.authorizerEvent(request, values),
      timeoutMs: this.context.timeoutMs,
    });
    switch (invoked.kind) {
      case 'function-error':
        return refused(gatewayError(500), `the authorizer function failed (${invoked.errorType})`);
      case 'service-error':
        return refused(
          gatewayError(500),
          `the Lambda service refused the authorizer invocation (${invoked.status ?? invoked.detail})`,
        );
      case 'timeout':
        return refused(gatewayError(500), `the authorizer did not answer within ${this.context.timeoutMs} ms`);
      case 'answer':
        break;
    }
    let decision: Decision;
    try {
      decision = parseSimpleResponse(invoked.payload);
    } catch (error) {
      if (!(error instanceof MalformedAuthorizerResponseError)) throw error;
      return refused(gatewayError(500), `malformed authorizer response: ${error.message}`);
    }
    this.cache.set(key, decision);
    return verdictOf(decision, '');
  }

  /** The 2.0 authorizer event: the integration's event less the body, plus what only an authorizer gets. */
  private authorizerEvent(request: AuthorizationRequest, identitySource: string[]): AuthorizerEventV2 {
    const { event } = request;
    const authorizerEvent: AuthorizerEventV2 = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: this.routeArn(event, request.pathInStage),
      identitySource,
      routeKey: event.routeKey,
      rawPath: event.rawPath,
      rawQueryString: event.rawQueryString,
      headers: event.headers,
      // Built before authorization, the integration's requestContext has no `authorizer` yet.
      requestContext: { ...event.requestContext },
    };
    if (event.cookies) authorizerEvent.cookies = event.cookies;
    copyIfPresent(event, authorizerEvent, 'queryStringParameters');
    copyIfPresent(event, authorizerEvent, 'pathParameters');
    copyIfPresent(event, authorizerEvent, 'stageVariables');
    return authorizerEvent;
  }

  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{path}`, the path without the stage. */
  private routeArn(event: HttpApiEventV2, pathInStage: string): string {
    const { region, accountId, apiId, stage } = this.context;
    return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${event.requestContext.http.method}${pathInStage}`;
  }
}

function copyIfPresent(
  from: HttpApiEventV2,
  to: AuthorizerEventV2,
  field: 'queryStringParameters' | 'pathParameters' | 'stageVariables',
): void {
  const value = from[field];
  if (value !== undefined) to[field] = value;
}

function verdictOf(decision: Decision, note: string): AuthorizerVerdict {
  if (decision.isAuthorized) return { admitted: true, authorizer: { lambda: decision.context } };
  return refused(gatewayError(403), `the authorizer refused the request${note}`);
}

/** `{ isAuthorized: boolean, context?: object }`; anything else is what AWS answers 500 for. */
function parseSimpleResponse(payload: string): Decision {
  let answer: unknown;
  try {
    answer = JSON.parse(payload);
  } catch {
    throw new MalformedAuthorizerResponseError('not JSON');
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new MalformedAuthorizerResponseError('not an object');
  }
  const { isAuthorized, context } = answer as Record<string, unknown>;
  if (typeof isAuthorized !== 'boolean') throw new MalformedAuthorizerResponseError('isAuthorized is not a boolean');
  if (context !== undefined && context !== null && (typeof context !== 'object' || Array.isArray(context))) {
    throw new MalformedAuthorizerResponseError('context is not an object');
  }
  if (!isAuthorized) return { isAuthorized };
  return { isAuthorized, context: (context ?? {}) as Record<string, unknown> };
}
