/**
 * Builds the payload format 2.0 event exactly as API Gateway HTTP API hands it to a Lambda: header
 * names lower-cased and repeats comma-joined, the `cookie` header moved to `cookies`, query
 * parameters decoded and comma-joined, the body base64-encoded unless its content type is text,
 * the stage prefix kept in `rawPath`/`http.path` but not in `routeKey`. The event is built before
 * authorization (a Lambda authorizer receives most of it); whichever authorizer admits the request
 * then adds its own part, `requestContext.authorizer.{jwt|lambda|iam}`.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomHex } from '../random-hex';

/** `requestContext.authorizer.iam` as API Gateway fills it for a SigV4-signed caller. */
export interface IamAuthorizerFields {
  accessKey: string;
  accountId: string;
  callerId: string;
  cognitoIdentity: null;
  principalOrgId: null;
  userArn: string;
  userId: string;
}

/** What the authorizer that admitted the request hands the integration: exactly one of the three. */
export interface EventAuthorizer {
  /** JWT authorizer: every claim a string (the contract's `encodeClaims`); `scopes` null when the route has none. */
  jwt?: { claims: Record<string, string>; scopes: string[] | null };
  /** Lambda authorizer (simple responses): the function's `context`, JSON types kept. */
  lambda?: Record<string, unknown>;
  /** IAM authorization: who signed the request. */
  iam?: IamAuthorizerFields;
}

export type HttpApiEventV2 = Omit<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'> & {
  requestContext: Omit<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'], 'authorizer'> & {
    authorizer?: EventAuthorizer;
  };
};

export interface IncomingRequestFacts {
  method: string;
  /** Path and query as sent (`/prod/inference?x=1`). */
  url: string;
  httpVersion: string;
  /** The request's headers as `joinHeaders` gives them (lower-cased, repeats comma-joined). */
  headers: Readonly<Record<string, string>>;
  sourceIp: string;
  /** The gateway's own port, for `x-forwarded-port`. */
  localPort: number;
  body: Buffer;
}

export interface EventContext {
  requestId: string;
  routeKey: string;
  stage: string;
  accountId: string;
  apiId: string;
  pathParameters: Record<string, string> | undefined;
  receivedAt: Date;
}

/**
 * An id in the shape API Gateway uses (`JKJaXmPLvHcESHA=`): 11 bytes, base64; the UUID's fixed
 * version and variant bits still leave 82 random bits of the 88.
 */
export function newRequestId(): string {
  return Buffer.from(randomHex(22), 'hex').toString('base64');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the CLF-style time of `requestContext.time`. */
export function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Content types API Gateway passes as text; everything else (or none) arrives base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript'
  );
}

/** Lower-cased names, repeated headers joined with commas, as the 2.0 `headers` map holds them. */
export function joinHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

export function parseQueryString(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const params: Record<string, string> = {};
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    params[name] = name in params ? `${params[name]},${value}` : value;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

export function buildEventV2(request: IncomingRequestFacts, context: EventContext): HttpApiEventV2 {
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : request.url.slice(queryAt + 1);
  // A copy: the event drops `cookie` and adds the forwarding headers; the caller's map stays intact.
  const headers = { ...request.headers };
  const cookieHeader = headers.cookie;
  delete headers.cookie;
  addForwardingHeaders(headers, request);

  const host = headers.host ?? 'localhost';
  const domainPrefix = host.split(/[.:]/)[0] ?? host;
  const event: HttpApiEventV2 = {
    version: '2.0',
    routeKey: context.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: host,
      domainPrefix,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: context.requestId,
      routeKey: context.routeKey,
      stage: context.stage,
      time: formatRequestTime(context.receivedAt),
      timeEpoch: context.receivedAt.getTime(),
    },
    isBase64Encoded: false,
  };
  const cookies = cookieHeader
    ?.split(';')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (cookies && cookies.length > 0) event.cookies = cookies;
  const query = parseQueryString(rawQueryString);
  if (query) event.queryStringParameters = query;
  if (context.pathParameters) event.pathParameters = context.pathParameters;
  if (request.body.length > 0) {
    const text = isTextContentType(headers['content-type']);
    event.body = request.body.toString(text ? 'utf8' : 'base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

/** Headers API Gateway adds on its way to the integration. */
function addForwardingHeaders(headers: Record<string, string>, request: IncomingRequestFacts): void {
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomHex(24)}`;
  if (request.body.length > 0 || headers['content-length'] !== undefined) {
    headers['content-length'] = String(request.body.length);
  }
}
