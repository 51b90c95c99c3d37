/**
 * Test fixtures shaped like what AWS really sends: payload format 2.0 events from an HTTP API with a
 * Cognito JWT authorizer on the `prod` stage (claims as strings, `cognito:groups` as "[a b]",
 * `scopes: null`, the stage in `rawPath`), a Lambda context, and a stub of the Lambda Invoke API
 * on 127.0.0.1 that records what it received and answers as Lambda does.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRoutes, corsAllowMethods, matchRoutePath } from '@gatehouse/contract';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { AwsEnvironment } from '../src/aws-environment';
import { type EdgeConfig, loadConfig } from '../src/config';
import { createEdgeHandler, type EdgeContext, type EdgeHandler } from '../src/edge';
import { LambdaInvokeClient } from '../src/lambda-invoke-client';
import { Logger } from '../src/logger';
import { CORE_TARGETS, ROUTES } from './fixtures/project';

export const ORIGIN = 'https://app.example.com';
export const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//////////session-token',
};
export const REGION = 'eu-west-1';

export const VALID_INPUT = { partner: 'Acme Corp', year: 2024, period: 'q3', question: 'What was the margin?' };

/** Claims as API Gateway hands them to the Lambda: every value a string. */
export function idTokenClaims(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    at_hash: 'kGQ9fVYw1Nd1Wl0GdhV6hA',
    sub: '3f0a5c1e-8e1a-4b5c-9d2e-1f2a3b4c5d6e',
    'cognito:groups': '[admins users]',
    email_verified: 'true',
    iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI',
    'cognito:username': 'jane',
    origin_jti: '0b8b2b9c-6a1d-4f5e-8c3b-2a1b0c9d8e7f',
    aud: '4p5o6i7u8y9t0r1e2w3q4a5s6d',
    event_id: 'a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6',
    token_use: 'id',
    auth_time: '1787992402',
    exp: '1787996002',
    iat: '1787992402',
    jti: '9e8d7c6b-5a4f-3e2d-1c0b-a9f8e7d6c5b4',
    email: 'jane@example.com',
    ...overrides,
  };
}

export interface EventOptions {
  method?: string;
  /** Default `POST /inference`; the path follows it (`/prod/<path>`) unless `rawPath` is given. */
  routeKey?: string;
  rawPath?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | undefined;
  isBase64Encoded?: boolean;
  claims?: Record<string, string> | null;
  requestId?: string;
}

export function httpApiEvent(options: EventOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const routeKey = options.routeKey ?? 'POST /inference';
  const method = options.method ?? routeKey.split(' ')[0] ?? 'POST';
  const rawPath = options.rawPath ?? `/prod${routeKey.split(' ')[1] ?? ''}`;
  const body = 'body' in options ? options.body : JSON.stringify(VALID_INPUT);
  const headers: Record<string, string> = {
    accept: '*/*',
    'content-length': String(body?.length ?? 0),
    'content-type': 'application/json',
    host: 'abc123defg.execute-api.eu-west-1.amazonaws.com',
    origin: ORIGIN,
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
    'x-amzn-trace-id': 'Root=1-67d1e2f3-0a1b2c3d4e5f6a7b8c9d0e1f',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...options.headers,
  };
  const requestId = options.requestId ?? 'HkZ3gjGJoAMEb9Q=';
  const event = {
    version: '2.0',
    routeKey,
    rawPath,
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.queryStringParameters ? { queryStringParameters: options.queryStringParameters } : {}),
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: options.claims ?? idTokenClaims(), scopes: null },
      },
      domainName: 'abc123defg.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123defg',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.23',
        userAgent: headers['user-agent'],
      },
      requestId,
      routeKey,
      stage: 'prod',
      time: '24/Nov/2026:10:40:02 +0000',
      timeEpoch: 1795516802000,
    },
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
  if (options.claims === null) delete (event.requestContext as { authorizer?: unknown }).authorizer;
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** What the build writes into the route table for a preflight (`edgeRouteTable`). */
export function allowMethodsOf(routes: Parameters<typeof apiRoutes>[0]): string[] {
  return corsAllowMethods(apiRoutes(routes));
}

export function lambdaContext(remainingMs = 29_000): EdgeContext {
  const endsAt = Date.now() + remainingMs;
  return { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', getRemainingTimeInMillis: () => endsAt - Date.now() };
}

export const BASE_ENV = {
  CORE_TARGETS,
  ALLOWED_ORIGINS: `${ORIGIN},http://localhost:5173`,
};

export function testConfig(env: Record<string, string> = {}): EdgeConfig {
  return loadConfig({ ...BASE_ENV, ...env });
}

export function awsEnvironment(endpoint: string): AwsEnvironment {
  return { region: REGION, endpoint: new URL(endpoint), credentials: { ...CREDENTIALS } };
}

/** A logger that keeps its lines, parsed. */
export function memoryLogger(level: 'debug' | 'info' | 'warn' | 'error' | 'silent' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = new Logger(level, 'gatehouse-edge', (line) => {
    raw.push(line);
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger, lines, raw };
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The client's port: a new value means a new connection. */
  remotePort: number | undefined;
}

export type StubAnswer = (request: ReceivedRequest, res: ServerResponse) => void;

export interface InvokeStub {
  endpoint: string;
  requests: ReceivedRequest[];
  answer: StubAnswer;
  close(): Promise<void>;
}

/** A stub Invoke API on a free loopback port; `answer` may be replaced per test. */
export async function startInvokeStub(answer: StubAnswer = answerJson({ answer: 'ok' })): Promise<InvokeStub> {
  const requests: ReceivedRequest[] = [];
  const stub: InvokeStub = { endpoint: '', requests, answer, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = {
        remotePort: req.socket.remotePort,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(received);
      stub.answer(received, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}

export function answerJson(value: unknown, headers: Record<string, string> = {}): StubAnswer {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'aws-req-1', ...headers });
    res.end(JSON.stringify(value));
  };
}

export function answerRaw(status: number, body: string, headers: Record<string, string> = {}): StubAnswer {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
}

/** A function error as Lambda reports it: 200, `X-Amz-Function-Error`, `{errorType, errorMessage, trace}`. */
export function answerFunctionError(errorType: string, errorMessage: string, kind = 'Unhandled'): StubAnswer {
  return answerRaw(
    200,
    JSON.stringify({
      errorType,
      errorMessage,
      trace: [`${errorType}: ${errorMessage}`, '    at handler (/var/task/index.mjs:1:1)'],
    }),
    {
      'x-amz-function-error': kind,
    },
  );
}

/** An Invoke API error as Lambda reports it: the type in `x-amzn-ErrorType` and `{Type, message}`. */
export function answerAwsError(
  status: number,
  errorType: string,
  message: string,
  headers: Record<string, string> = {},
): StubAnswer {
  return answerRaw(status, JSON.stringify({ Type: 'User', message }), { 'x-amzn-errortype': errorType, ...headers });
}

/** Never answers; the socket stays open until the client gives up. */
export const answerNever: StubAnswer = () => {};

export interface EdgeUnderTest {
  handler: EdgeHandler;
  stub: InvokeStub;
  client: LambdaInvokeClient;
  logs: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

export async function startEdge(env: Record<string, string> = {}, answer?: StubAnswer): Promise<EdgeUnderTest> {
  const stub = await startInvokeStub(answer);
  const client = new LambdaInvokeClient(awsEnvironment(stub.endpoint));
  const config = testConfig(env);
  const logs = memoryLogger(config.logLevel);
  const handler = createEdgeHandler({
    config,
    routes: ROUTES,
    allowMethods: allowMethodsOf(ROUTES),
    matchPath: matchRoutePath,
    client,
    logger: logs.logger,
    service: 'gatehouse-edge',
  });
  return {
    handler,
    stub,
    client,
    logs,
    close: async () => {
      client.close();
      await stub.close();
    },
  };
}
