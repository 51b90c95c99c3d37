/**
 * A minimal client for the one Lambda API the edge calls, `Invoke` (RequestResponse): SigV4-signed
 * with `aws4` and sent with `node:http(s)` over a keep-alive agent made once per container.
 *
 * Why not `@aws-sdk/client-lambda`: it alone is ~360 KB minified and ~115 ms of cold init, and
 * ~1.7 ms per request here; global `fetch` costs ~1 ms per request. This client keeps what the SDK
 * gave that matters — environment credentials with the session token, the endpoint override, typed
 * errors for every Invoke error type — and makes exactly one attempt: retrying is the caller's
 * decision (see invoke-core.ts), so the core never runs twice behind the edge's back.
 */
import http from 'node:http';
import https from 'node:https';
import aws4 from 'aws4';
import type { AwsEnvironment } from './aws-environment';
import { text } from './event-values';
import type { FunctionTarget } from './function-target';
import {
  InvokeError,
  InvokeNetworkError,
  InvokeResponseTooLargeError,
  InvokeTimeoutError,
  invokeErrorFor,
} from './invoke-errors';

/**
 * A kept-alive connection idle for longer than this is closed instead of reused. A frozen Lambda
 * container keeps its sockets while the service side may have closed them; writing the next invoke
 * onto such a socket fails with ECONNRESET, and as the edge makes one attempt only, that would be a
 * 502. A fresh connection after a long pause costs one handshake and never runs the core twice.
 */
export const IDLE_SOCKET_MS = 15_000;

/** Lambda returns at most 6 MB synchronously; a little more leaves room for its own envelope. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 64 * 1024;

export type InvocationType = 'RequestResponse' | 'Event';

export interface InvokeResult {
  /** `Unhandled` or `Handled` when the function threw (the `X-Amz-Function-Error` header). */
  functionError: string | undefined;
  payload: Buffer;
  /** The Lambda service's request id (`x-amzn-requestid`), for the log. */
  awsRequestId: string | undefined;
}

export class LambdaInvokeClient {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private lastUsedAt = 0;

  /**
   * @param traceHeader the X-Ray trace header of the invocation in progress, when traces are linked
   *   (Lambda sets `_X_AMZN_TRACE_ID` per invocation; sending it as `X-Amzn-Trace-Id` makes the
   *   core's trace a child of the edge's, as the AWS SDK does).
   */
  constructor(
    private readonly aws: AwsEnvironment,
    private readonly idleSocketMs = IDLE_SOCKET_MS,
    private readonly traceHeader: () => string | undefined = () => undefined,
  ) {
    const secure = aws.endpoint.protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 64 });
  }

  private requestHeaders(invocationType: InvocationType): Record<string, string> {
    const trace = this.traceHeader();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amz-invocation-type': invocationType,
    };
    if (trace) headers['x-amzn-trace-id'] = trace;
    return headers;
  }

  /**
   * Invokes once. Rejects with an InvokeError subclass; resolves for success and function errors
   * alike. `Event` queues the invocation and resolves on Lambda's 202 with an empty payload.
   */
  invoke(
    target: FunctionTarget,
    payload: string,
    signal: AbortSignal,
    invocationType: InvocationType = 'RequestResponse',
  ): Promise<InvokeResult> {
    const { endpoint } = this.aws;
    const base = endpoint.pathname.replace(/\/+$/, '');
    const query = target.qualifier ? `?Qualifier=${encodeURIComponent(target.qualifier)}` : '';
    const signed = aws4.sign(
      {
        service: 'lambda',
        region: this.aws.region,
        method: 'POST',
        host: endpoint.host,
        path: `${base}/2015-03-31/functions/${encodeURIComponent(target.functionName)}/invocations${query}`,
        headers: this.requestHeaders(invocationType),
        body: payload,
      },
      this.aws.credentials,
    );
    if (Date.now() - this.lastUsedAt > this.idleSocketMs) this.closeIdleSockets();
    return new Promise<InvokeResult>((resolve, reject) => {
      if (signal.aborted) {
        reject(timeoutError());
        return;
      }
      let settled = false;
      const finish = (error: InvokeError | undefined, result?: InvokeResult) => {
        if (settled) return;
        settled = true;
        this.lastUsedAt = Date.now();
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else if (result) resolve(result);
      };
      const request = this.transport.request(
        {
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          port: endpoint.port || undefined,
          method: 'POST',
          path: signed.path,
          headers: signed.headers as http.OutgoingHttpHeaders,
          agent: this.agent,
        },
        (response) => {
          readLimited(response, MAX_RESPONSE_BYTES).then(
            (body) => {
              if (body === undefined) {
                request.destroy();
                finish(
                  new InvokeResponseTooLargeError(
                    `the core's answer exceeded ${MAX_RESPONSE_BYTES} bytes`,
                    'ResponseTooLarge',
                    response.statusCode,
                  ),
                );
              } else {
                const outcome = resultOf(response, body);
                if (outcome instanceof InvokeError) finish(outcome);
                else finish(undefined, outcome);
              }
            },
            (error: Error) => finish(networkError(error)),
          );
        },
      );
      const onAbort = () => {
        finish(timeoutError());
        request.destroy();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => finish(networkError(error)));
      request.end(payload);
    });
  }

  /** Closes every socket (tests and benchmarks; a Lambda container simply freezes). */
  close(): void {
    this.agent.destroy();
  }

  private closeIdleSockets(): void {
    for (const sockets of Object.values(this.agent.freeSockets)) {
      for (const socket of sockets ?? []) socket.destroy();
    }
  }
}

function resultOf(response: http.IncomingMessage, body: Buffer): InvokeResult | InvokeError {
  const status = response.statusCode ?? 0;
  const awsRequestId = header(response, 'x-amzn-requestid');
  if (status >= 200 && status < 300) {
    return { functionError: header(response, 'x-amz-function-error'), payload: body, awsRequestId };
  }
  return invokeErrorFor(awsErrorDetails(status, header(response, 'x-amzn-errortype'), response, body));
}

function awsErrorDetails(status: number, typeHeader: string | undefined, response: http.IncomingMessage, body: Buffer) {
  const json = parseObject(body);
  const rawType = typeHeader ?? text(json?.__type) ?? text(json?.code) ?? `HTTP${status}`;
  // `x-amzn-errortype` may carry `:http://internal.amazon.com/...`; `__type` may carry a namespace before `#`.
  const errorType = rawType.split(':')[0]?.split('#').pop() || `HTTP${status}`;
  const message = text(json?.message) ?? text(json?.Message) ?? body.toString('utf8').slice(0, 500);
  return { errorType, message, statusCode: status, retryAfterSeconds: retryAfter(response, json) };
}

function retryAfter(response: http.IncomingMessage, json: Record<string, unknown> | undefined): number | undefined {
  const fromHeader = Number(header(response, 'retry-after'));
  if (Number.isFinite(fromHeader) && fromHeader >= 0) return fromHeader;
  const fromBody = Number(json?.retryAfterSeconds);
  return Number.isFinite(fromBody) && fromBody >= 0 ? fromBody : undefined;
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function header(response: http.IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

/** Reads the whole body, or stops at `limit` bytes and resolves `undefined`. */
function readLimited(response: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        response.removeAllListeners('data');
        response.removeAllListeners('end');
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks, size)));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the connection closed before the answer was complete')));
  });
}

function timeoutError(): InvokeTimeoutError {
  return new InvokeTimeoutError("the edge's deadline passed before the core answered", 'Timeout', undefined);
}

function networkError(error: Error): InvokeNetworkError {
  const code = (error as NodeJS.ErrnoException).code;
  return new InvokeNetworkError(`${code ?? error.name}: ${error.message}`, code ?? 'NetworkError', undefined);
}
