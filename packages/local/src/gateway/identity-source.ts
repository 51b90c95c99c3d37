/**
 * A Lambda authorizer's identity sources: the selection expressions API Gateway evaluates before it
 * calls the authorizer (`$request.header.x-api-key`, `$request.querystring.key`, `$context.routeKey`).
 * Their values go to the function as `identitySource` and, joined, are the key of the result cache;
 * if any is missing or empty API Gateway answers 401 without calling the function.
 *
 * Parsed once when the gateway starts, so an expression API Gateway would refuse to deploy stops
 * the gateway instead of failing every request.
 */
import type { HttpApiEventV2 } from './event-v2';
import { AuthorizerConfigError } from './jwt-authorizer';

export interface IdentitySource {
  /** The expression as configured, for messages. */
  expression: string;
  /** The value in this request, or undefined when missing or empty. */
  valueIn(event: HttpApiEventV2): string | undefined;
}

const EXPRESSION = /^\$(request\.header|request\.querystring|context)\.([^\s]+)$/;

export function parseIdentitySource(expression: string): IdentitySource {
  const match = EXPRESSION.exec(expression);
  const [, kind, name = ''] = match ?? [];
  switch (kind) {
    case 'request.header': {
      const header = name.toLowerCase();
      return { expression, valueIn: (event) => nonEmpty(event.headers[header]) };
    }
    case 'request.querystring':
      return { expression, valueIn: (event) => nonEmpty(event.queryStringParameters?.[name]) };
    case 'context': {
      const path = name.split('.');
      return { expression, valueIn: (event) => nonEmpty(contextValue(event.requestContext, path)) };
    }
    default:
      throw new AuthorizerConfigError(
        `identity source ${JSON.stringify(expression)} is not one the local gateway evaluates ($request.header.<name>, $request.querystring.<name>, $context.<field>)`,
      );
  }
}

function contextValue(context: unknown, path: readonly string[]): string | undefined {
  let value: unknown = context;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
