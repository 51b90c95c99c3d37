/**
 * The local API Gateway HTTP API: one `node:http` server that takes a request through the same
 * steps as the real service — size limits, CORS preflight, stage and route, body limit, the API's
 * authorizer (JWT, Lambda or IAM, or none), the 2.0 event, the Lambda Invoke API within the
 * integration timeout, the answer's mapping — and adds the gateway's CORS headers and
 * `apigw-requestid` to whatever comes out.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isOriginAllowed, type OriginRule } from '@gatehouse/contract';
import type { LocalKeys } from '../iam';
import { requestForOwnHost } from '../net/own-host';
import { BodyTooLargeError, readBody } from '../net/read-body';
import { applyCors, isPreflight, preflightResponse } from './cors';
import { buildEventV2, joinHeaders, newRequestId } from './event-v2';
import { type GatewayResponse, type GatewayStatus, gatewayError, rawResponse } from './gateway-responses';
import { HeadMeter } from './head-meter';
import { LAMBDA_AUTHORIZER_LIMITS } from './lambda-authorizer';
import {
  type FunctionInvoker,
  httpInvoker,
  type InProcessLambda,
  type InvokeOutcome,
  inProcessInvoker,
} from './lambda-invoke';
import { REQUEST_LIMITS, REQUEST_TIMEOUTS } from './limits';
import { mapLambdaAnswer } from './response-v2';
import { createRouteAuthorizer, extraAllowHeaders, type GatewayAuthorizerOptions } from './route-authorizer';
import { type GatewayApiDescription, matchRoute, resolveStage } from './router';

export interface GatewayLogEntry {
  requestId: string;
  method: string;
  path: string;
  routeKey?: string;
  status: number;
  latencyMs: number;
  /** Why the authorizer refused the request (never the token, key or signature). */
  authorizerError?: string;
  integrationLatencyMs?: number;
}

export interface GatewayOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  api: GatewayApiDescription;
  allowedOrigins: OriginRule[];
  /** What protects the routes with `authorization: 'jwt'`; routes with `'none'` are public in every mode. */
  authorizer: GatewayAuthorizerOptions;
  /**
   * Base URL of the Lambda service's Invoke API: a gateway on its own calls it over HTTP, signed
   * with `lambdaCredential`.
   */
  lambdaEndpoint?: string;
  /** The local credential, which the Invoke API admits (`loadLocalCredential`); with `lambdaEndpoint`. */
  lambdaCredential?: LocalKeys;
  /**
   * The Lambda service in this process (the stack): invocations are handed to its function pools
   * directly instead of over HTTP. Takes precedence over `lambdaEndpoint`.
   */
  lambdaService?: InProcessLambda;
  /** Integration name → Lambda function name. */
  functionNames: { edge: string };
  /** Default: the API's (30 s, as on AWS). */
  integrationTimeoutMs?: number;
  /** Default 10 s, API Gateway's timeout for a Lambda authorizer. */
  authorizerTimeoutMs?: number;
  /** Time to send the request line and headers before a 408; default `REQUEST_TIMEOUTS`. */
  headersTimeoutMs?: number;
  /** Time to send the whole request before a 408; default `REQUEST_TIMEOUTS`. */
  requestTimeoutMs?: number;
  /** Default us-east-1; appears in the Lambda authorizer's `routeArn`. */
  region?: string;
  accountId?: string;
  apiId?: string;
  onRequest?: (entry: GatewayLogEntry) => void;
  /** Called for each request whose `Origin` is not allowed (the answer carries no CORS headers). */
  onRefusedOrigin?: (origin: string) => void;
}

export interface RunningGateway {
  url: string;
  port: number;
  /** `url` plus the stage (`http://127.0.0.1:3000/prod`), or `url` on the `$default` stage. */
  stageUrl: string;
  close(): Promise<void>;
}

interface Outcome {
  response: GatewayResponse;
  routeKey?: string;
  authorizerError?: string;
  integrationLatencyMs?: number;
  /** The request body was not read to its end: the connection cannot be reused. */
  closeConnection?: boolean;
  /** A preflight answer already carries the gateway's CORS headers. */
  preflight?: boolean;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? '127.0.0.1';
  const settings = {
    ...options,
    accountId: options.accountId ?? '000000000000',
    apiId: options.apiId ?? 'local',
    integrationTimeoutMs: options.integrationTimeoutMs ?? options.api.integrationTimeoutMs,
  };
  const invoke = functionInvoker(options);
  const authorizer = createRouteAuthorizer(options.authorizer, options.api.routes, {
    invoke,
    region: options.region ?? 'us-east-1',
    accountId: settings.accountId,
    apiId: settings.apiId,
    stage: options.api.stage,
    timeoutMs: options.authorizerTimeoutMs ?? LAMBDA_AUTHORIZER_LIMITS.timeoutMs,
  });
  const cors = {
    ...options.api.cors,
    allowHeaders: [...new Set([...options.api.cors.allowHeaders, ...extraAllowHeaders(options.authorizer)])],
  };
  const sockets = new Set<Socket>();
  const meters = new WeakMap<Socket, HeadMeter>();
  const headersTimeout = options.headersTimeoutMs ?? REQUEST_TIMEOUTS.headersTimeoutMs;
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUTS.requestTimeoutMs;

  const server = createServer(
    {
      maxHeaderSize: REQUEST_LIMITS.nodeMaxHeaderSize,
      // Node's own 400 for a missing Host is a bare one; `answer` gives the gateway's instead.
      requireHostHeader: false,
      headersTimeout,
      requestTimeout,
      // Node checks the two timeouts this often (30 s by default, which would double them).
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
    (req, res) => {
      const meter = meters.get(req.socket);
      if (meter?.refused) return;
      req.once('end', () => meter?.rearm());
      handle(req, res).catch((error: unknown) => {
        // Only a failure while writing gets here; the connection is beyond saving.
        console.error(`gateway: ${error instanceof Error ? error.stack : String(error)}`);
        res.destroy();
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const meter = new HeadMeter(REQUEST_LIMITS.maxRequestLineAndHeadersBytes);
    meters.set(socket, meter);
    // Prepended, so the meter sees each chunk before Node's parser does (see head-meter.ts).
    socket.prependListener('data', (chunk: Buffer) => {
      if (meter.refused || meter.feed(chunk)) return;
      meter.refused = true;
      refuseOnSocket(socket, 431, meter.origin());
    });
  });
  // CONNECT asks for a tunnel, which API Gateway never opens; without a listener Node would drop
  // the connection unanswered. Its target is `host:port`, not a path any route could match.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const origin = req.headers.origin;
    refuseOnSocket(socket, 400, typeof origin === 'string' ? origin : undefined);
  });
  // What Node's parser refuses or times out never becomes a request: answer on the socket itself.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || meters.get(socket)?.refused) return;
    refuseOnSocket(socket, clientErrorStatus(error.code), meters.get(socket)?.origin());
  });

  function refuseOnSocket(socket: Socket, status: GatewayStatus, origin: string | undefined): void {
    const meter = meters.get(socket);
    if (meter) meter.answeredWith = status;
    const response = applyCors(gatewayError(status), cors, settings.allowedOrigins, origin);
    response.headers['apigw-requestid'] = newRequestId();
    socket.end(rawResponse(response));
    // Keep reading (and dropping) what the client still sends for a moment, so the answer is not
    // lost to a reset (see lingerThenClose).
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('close', () => clearTimeout(timer));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = new Date();
    const started = performance.now();
    const requestId = newRequestId();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const headers = joinHeaders(req.rawHeaders);
    const origin = headers.origin;
    if (origin !== undefined && !isOriginAllowed(settings.allowedOrigins, origin)) settings.onRefusedOrigin?.(origin);

    const outcome: Outcome = await answer(req, { requestId, method, url, headers, receivedAt }).catch(
      (error: unknown) => {
        // A bug in the emulator still answers as API Gateway would, CORS headers and request id included.
        console.error(`gateway: ${error instanceof Error ? error.stack : String(error)}`);
        return { response: gatewayError(500), closeConnection: true };
      },
    );
    const response = outcome.preflight
      ? outcome.response
      : applyCors(outcome.response, cors, settings.allowedOrigins, origin);
    response.headers['apigw-requestid'] = requestId;
    response.headers['content-length'] = String(response.body.length);
    res.writeHead(response.status, response.headers);
    res.end(response.body, () => {
      if (outcome.closeConnection) lingerThenClose(req);
    });

    settings.onRequest?.({
      requestId,
      method,
      path: url.split('?')[0] ?? url,
      ...(outcome.routeKey === undefined ? {} : { routeKey: outcome.routeKey }),
      status: response.status,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      ...(outcome.authorizerError === undefined ? {} : { authorizerError: outcome.authorizerError }),
      ...(outcome.integrationLatencyMs === undefined ? {} : { integrationLatencyMs: outcome.integrationLatencyMs }),
    });
  }

  async function answer(
    req: IncomingMessage,
    request: { requestId: string; method: string; url: string; headers: Record<string, string>; receivedAt: Date },
  ): Promise<Outcome> {
    // No Host, or one past the 2,000 headers Node keeps, or two: the request is ambiguous.
    if (hostHeaderCount(req.rawHeaders) !== 1) {
      req.resume();
      return { response: gatewayError(400), closeConnection: true };
    }
    // A rebound domain name (net/own-host.ts): API Gateway answers a name it does not serve with 403.
    if (!requestForOwnHost(req)) {
      req.resume();
      return { response: gatewayError(403) };
    }
    if (isPreflight(request.method, request.headers)) {
      req.resume();
      return {
        response: preflightResponse(cors, settings.allowedOrigins, request.headers.origin ?? ''),
        preflight: true,
      };
    }
    const rawPath = request.url.split('?')[0] ?? '/';
    const stage = resolveStage(settings.api.stage, rawPath);
    const pathInStage = stage.ok ? stage.pathInStage : undefined;
    const match = pathInStage === undefined ? null : matchRoute(settings.api.routes, request.method, pathInStage);
    if (!match || pathInStage === undefined) {
      req.resume();
      return { response: gatewayError(404) };
    }

    let body: Buffer;
    try {
      body = await readBody(req, REQUEST_LIMITS.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return { response: gatewayError(413), routeKey: match.routeKey, closeConnection: true };
      }
      // The connection ended before the body did: a client gone, or one `clientError` answered (408).
      if (req.socket.destroyed) {
        const status = meters.get(req.socket)?.answeredWith ?? 400;
        return { response: gatewayError(status), routeKey: match.routeKey, closeConnection: true };
      }
      throw error;
    }

    const event = buildEventV2(
      {
        method: request.method,
        url: request.url,
        httpVersion: req.httpVersion,
        headers: request.headers,
        sourceIp: normaliseIp(req.socket.remoteAddress),
        localPort: req.socket.localPort ?? 0,
        body,
      },
      {
        requestId: request.requestId,
        routeKey: match.routeKey,
        stage: settings.api.stage,
        accountId: settings.accountId,
        apiId: settings.apiId,
        pathParameters: match.pathParameters,
        receivedAt: request.receivedAt,
      },
    );
    // `jwt` in the contract means "behind whichever authorizer the API has".
    if (authorizer && match.route.authorization === 'jwt') {
      const verdict = await authorizer.authorize({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
        match,
        pathInStage,
        event,
      });
      if (!verdict.admitted) {
        return { response: verdict.response, routeKey: match.routeKey, authorizerError: verdict.reason };
      }
      event.requestContext.authorizer = verdict.authorizer;
    }

    const invoked = await invoke({
      functionName: settings.functionNames[match.route.integration],
      event,
      timeoutMs: settings.integrationTimeoutMs,
    });
    return { response: responseFor(invoked), routeKey: match.routeKey, integrationLatencyMs: invoked.latencyMs };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    stageUrl: options.api.stage === '$default' ? url : `${url}/${options.api.stage}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function functionInvoker(options: GatewayOptions): FunctionInvoker {
  if (options.lambdaService) return inProcessInvoker(options.lambdaService);
  if (options.lambdaEndpoint && options.lambdaCredential) {
    return httpInvoker(options.lambdaEndpoint, options.lambdaCredential, options.region ?? 'us-east-1');
  }
  throw new Error('the gateway needs the Lambda service: lambdaEndpoint with lambdaCredential, or lambdaService');
}

/**
 * Function errors, malformed answers and an unreachable Lambda service are 500s; the timeout is a
 * 503; an event Lambda refuses as too large (over 6 MB: a 7 MB JSON body, or 4.8 MB of binary once
 * base64-encoded) is the client's fault and a 413, as API Gateway answers a request body its
 * Lambda integration cannot take.
 */
function responseFor(outcome: InvokeOutcome): GatewayResponse {
  switch (outcome.kind) {
    case 'answer':
      return mapLambdaAnswer(outcome.payload);
    case 'function-error':
      return gatewayError(500);
    case 'service-error':
      return gatewayError(outcome.status === 413 ? 413 : 500);
    case 'timeout':
      return gatewayError(503);
  }
}

/**
 * After refusing a request whose body was not read: half-close (FIN) so the client reads the
 * answer, keep discarding what it still sends for a moment, then drop the connection. Closing at
 * once with unread bytes pending would reset the connection and lose the answer on the way. (A
 * `connection: close` header would make Node do exactly that, so none is sent.)
 */
function lingerThenClose(req: IncomingMessage): void {
  req.resume();
  req.socket.end();
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  req.socket.once('close', () => clearTimeout(timer));
}

const LINGER_MS = 1_000;

function clientErrorStatus(code: string | undefined): GatewayStatus {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    default:
      return 400;
  }
}

/** `Host` headers among those Node parsed; two are let through joined, one past the 2,000th dropped. */
function hostHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === 'host') count++;
  return count;
}

function normaliseIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
