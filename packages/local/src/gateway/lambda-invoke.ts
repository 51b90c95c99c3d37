/**
 * The gateway's integration call, made to the Lambda service one of two ways with the same
 * outcomes, bounded by the integration timeout:
 * - over HTTP, as API Gateway makes it: the Lambda Invoke API
 *   (`POST {endpoint}/2015-03-31/functions/{name}/invocations`, the event as the body),
 *   SigV4-signed with the local credential, the only one the local Invoke API admits — for a
 *   gateway on its own;
 * - in process, when the stack runs the gateway and the Lambda service in one program: the event
 *   is handed to the service's function pools directly, with no HTTP exchange and no signature
 *   between two parts of one program (docs/PERFORMANCE.md). The function still runs in its own
 *   execution environment, and the edge still calls the core over HTTP.
 * Outcomes are a closed set the server maps to AWS's answers: an answer; a function error
 * (`X-Amz-Function-Error`); an unreachable or refusing Lambda service; a timeout. An event over
 * Lambda's synchronous request limit is refused as Lambda would refuse it (413
 * `RequestTooLargeException`), without sending megabytes it cannot take.
 */
import http from 'node:http';
import https from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalKeys } from '../iam';
import { NodeSha256 } from '../iam/node-sha256';
import type { DirectInvokeOutcome } from '../lambda';

export type InvokeOutcome =
  | { kind: 'answer'; payload: string; latencyMs: number }
  | { kind: 'function-error'; errorType: string; payload: string; latencyMs: number }
  | { kind: 'service-error'; status: number | undefined; detail: string; latencyMs: number }
  | { kind: 'timeout'; latencyMs: number };

/** Lambda's synchronous Invoke request limit (6 MiB). */
export const LAMBDA_MAX_REQUEST_BYTES = 6_291_456;

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** One signer per credential and region: it keeps its derived signing keys between calls. */
const signers = new Map<string, SignatureV4>();

function signerFor(credentials: LocalKeys, region: string): SignatureV4 {
  const key = `${credentials.accessKeyId}/${region}`;
  let signer = signers.get(key);
  if (!signer) {
    signer = new SignatureV4({ service: 'lambda', region, sha256: NodeSha256, credentials });
    signers.set(key, signer);
  }
  return signer;
}

export interface InvokeCall {
  functionName: string;
  event: unknown;
  timeoutMs: number;
}

/** How the gateway (its integration and its Lambda authorizer) reaches the Lambda service. */
export type FunctionInvoker = (call: InvokeCall) => Promise<InvokeOutcome>;

/** The Lambda service running in the gateway's own process. */
export interface InProcessLambda {
  invokeDirect(functionName: string, event: string, signal: AbortSignal): Promise<DirectInvokeOutcome>;
}

/** Invocations over the Invoke API at `endpoint`, signed with the local credential for `region`. */
export function httpInvoker(endpoint: string, credentials: LocalKeys, region: string): FunctionInvoker {
  return (call) => invokeFunction({ endpoint, credentials, region, ...call });
}

/**
 * Invocations handed to the Lambda service in this process. At the timeout the caller gets its
 * 503 at once and an invocation still waiting for an environment is dropped unrun, as when the
 * HTTP caller closes its connection; one already running finishes in its environment, as on AWS.
 */
export function inProcessInvoker(service: InProcessLambda): FunctionInvoker {
  return (call) => {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const callerGone = new AbortController();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        callerGone.abort();
        resolve({ kind: 'timeout', latencyMs: elapsed() });
      }, call.timeoutMs);
      void service.invokeDirect(call.functionName, JSON.stringify(call.event), callerGone.signal).then((outcome) => {
        clearTimeout(timer);
        resolve(invokeOutcome(outcome, elapsed()));
      });
    });
  };
}

/** The outcome the HTTP caller would have read from the Invoke API's answer. */
function invokeOutcome(outcome: DirectInvokeOutcome, latencyMs: number): InvokeOutcome {
  switch (outcome.kind) {
    case 'success':
      return { kind: 'answer', payload: outcome.payload, latencyMs };
    case 'function-error':
      return { kind: 'function-error', errorType: 'Unhandled', payload: JSON.stringify(outcome.payload), latencyMs };
    case 'service-error':
      return {
        kind: 'service-error',
        status: outcome.status,
        detail: `${outcome.errorType}: ${outcome.message}`,
        latencyMs,
      };
  }
}

async function invokeFunction(options: {
  endpoint: string;
  functionName: string;
  event: unknown;
  timeoutMs: number;
  /** The local credential (the Invoke API admits no other). */
  credentials: LocalKeys;
  /** The Lambda service's region; a signature for any other is refused. */
  region: string;
}): Promise<InvokeOutcome> {
  const url = new URL(
    `/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`,
    options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`,
  );
  const body = Buffer.from(JSON.stringify(options.event));
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  if (body.length > LAMBDA_MAX_REQUEST_BYTES) {
    const detail = `RequestTooLargeException: Request must be smaller than ${LAMBDA_MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`;
    return Promise.resolve({ kind: 'service-error', status: 413, detail, latencyMs: elapsed() });
  }
  const transport = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];

  const headers = {
    host: url.host,
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-amz-invocation-type': 'RequestResponse',
  };
  const signed = await signerFor(options.credentials, options.region).sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    // Already escaped once; the signer escapes it again, as the SDK does for Lambda.
    path: url.pathname,
    headers,
    body,
  });

  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: InvokeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent,
        headers: signed.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) =>
          settle({ kind: 'service-error', status: response.statusCode, detail: error.message, latencyMs: elapsed() }),
        );
        response.on('end', () => {
          const payload = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          const functionError = response.headers['x-amz-function-error'];
          if (status < 200 || status > 299) {
            settle({ kind: 'service-error', status, detail: payload.slice(0, 500), latencyMs: elapsed() });
          } else if (typeof functionError === 'string') {
            settle({ kind: 'function-error', errorType: functionError, payload, latencyMs: elapsed() });
          } else {
            settle({ kind: 'answer', payload, latencyMs: elapsed() });
          }
        });
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: 'timeout', latencyMs: elapsed() });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error) =>
      settle({ kind: 'service-error', status: undefined, detail: error.message, latencyMs: elapsed() }),
    );
    request.end(body);
  });
}
