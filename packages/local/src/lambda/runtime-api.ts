/**
 * The Lambda Runtime API of one execution environment (`/2018-06-01/runtime/...`), served on its
 * own loopback port and handed to the runtime as `AWS_LAMBDA_RUNTIME_API=host:port`, as AWS's
 * custom-runtime contract says. One server per environment rather than one per service with a path
 * per environment: the contract's address is `host:port` with fixed paths, so a path prefix would
 * break runtime clients that build the URL themselves, and a loopback server costs well under a
 * millisecond to start (docs/PERFORMANCE.md).
 *
 * It holds one invocation at a time: the runtime's `GET .../invocation/next` waits (long-poll) until
 * `deliver()` hands it an event; the runtime answers with `.../{id}/response` or `.../{id}/error`.
 *
 * Only the environment's own runtime may use it, as on AWS: a request with an `Origin` (a web
 * page), a `Host` that is not this endpoint's own address (DNS rebinding), or from a connection
 * that another process holds (runtime-peer.ts) is refused with 403 before it can take or answer an
 * invocation, so it never disturbs the runtime's own `/next`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { foreignHostMessage, requestForOwnHost } from '../net/own-host';
import { type FunctionErrorPayload, MAX_RESPONSE_BYTES } from './function-errors';
import { CAN_CHECK_PEER, peerIsProcessTree } from './runtime-peer';

const PREFIX = '/2018-06-01/runtime';
const INVOCATION = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

export interface RuntimeInvocation {
  requestId: string;
  event: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  /** The caller's client context, decoded JSON (the Invoke API takes it base64-encoded). */
  clientContext?: string;
  cognitoIdentity?: string;
}

export type RuntimeResult =
  | { kind: 'success'; payload: string }
  | { kind: 'function-error'; payload: FunctionErrorPayload }
  | { kind: 'too-large' };

export interface RuntimeApiEvents {
  /** The runtime asked for its first invocation: init is done. */
  ready(): void;
  initError(payload: FunctionErrorPayload): void;
  result(requestId: string, result: RuntimeResult): void;
}

/** How the service hands an environment's runtime its events: the Runtime API, or the Node runtime's pipes. */
export interface RuntimeChannel {
  /** Hands the event to the runtime now if it is waiting, or as soon as it asks. */
  deliver(invocation: RuntimeInvocation): void;
  /** Whether the runtime has taken the event handed to `deliver()`; if not, the code never saw it. */
  readonly delivered: boolean;
  close(): void;
}

export class RuntimeApi implements RuntimeChannel {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private parked: ServerResponse | undefined;
  private queued: RuntimeInvocation | undefined;
  /** The invocation the runtime has taken and not yet answered. */
  private current: string | undefined;
  private initialised = false;
  /** Whether each connection is the runtime's own, decided at its first request. */
  private readonly verdicts = new WeakMap<Socket, Promise<boolean>>();
  address = '';

  /** `runtimePid` names the process the service started for this environment, once it has. */
  constructor(
    private readonly events: RuntimeApiEvents,
    private readonly runtimePid: () => number | undefined,
  ) {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.keepAliveTimeout = 0;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async listen(host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => resolve());
    });
    this.address = `${host}:${(this.server.address() as AddressInfo).port}`;
  }

  /** Hands the event to the runtime now if it is waiting, or at its next `/next`. */
  deliver(invocation: RuntimeInvocation): void {
    this.queued = invocation;
    this.flush();
  }

  /** Whether the runtime has taken the event handed to `deliver()`; if not, the code never saw it. */
  get delivered(): boolean {
    return this.queued === undefined;
  }

  close(): void {
    this.parked = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }

  private flush(): void {
    const res = this.parked;
    const invocation = this.queued;
    if (!res || !invocation) return;
    this.parked = undefined;
    // The runtime died while waiting: keep the event for a runtime that can take it.
    if (res.destroyed || res.socket?.destroyed) return;
    this.queued = undefined;
    this.current = invocation.requestId;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
      'lambda-runtime-invoked-function-arn': invocation.invokedFunctionArn,
      'lambda-runtime-trace-id': invocation.traceId,
    };
    if (invocation.clientContext) headers['lambda-runtime-client-context'] = invocation.clientContext;
    if (invocation.cognitoIdentity) headers['lambda-runtime-cognito-identity'] = invocation.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(invocation.event);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = await this.refusal(req);
    if (refusal) {
      req.resume();
      return answer(res, 403, { errorMessage: refusal, errorType: 'AccessDeniedException' });
    }
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) return this.next(res);
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
      const body = await readLimited(req, MAX_RESPONSE_BYTES);
      if (this.initialised) return answer(res, 403, stateError());
      answer(res, 202, { status: 'OK' });
      this.events.initError(errorPayload(body, header(req, 'lambda-runtime-function-error-type')));
      return;
    }
    const match = req.method === 'POST' ? INVOCATION.exec(url) : null;
    if (!match) return answer(res, 404, { errorMessage: 'Not found', errorType: 'NotFound' });
    const [, requestId = '', kind] = match;
    const body = await readLimited(req, MAX_RESPONSE_BYTES);
    if (requestId !== this.current)
      return answer(res, 403, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    this.current = undefined;
    if (body === undefined) {
      answer(res, 413, {
        errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: 'RequestEntityTooLarge',
      });
      return this.events.result(requestId, { kind: 'too-large' });
    }
    answer(res, 202, { status: 'OK' });
    if (kind === 'response') {
      this.events.result(requestId, { kind: 'success', payload: body.toString('utf8') });
    } else {
      const payload = errorPayload(body, header(req, 'lambda-runtime-function-error-type'));
      this.events.result(requestId, { kind: 'function-error', payload });
    }
  }

  private async refusal(req: IncomingMessage): Promise<string | undefined> {
    if (req.headers.origin !== undefined) return 'The Runtime API does not accept requests from web pages.';
    if (!requestForOwnHost(req)) return foreignHostMessage(req);
    if (!CAN_CHECK_PEER) return undefined;
    const socket = req.socket;
    let verdict = this.verdicts.get(socket);
    if (verdict === undefined) {
      const pid = this.runtimePid();
      const { localPort, remotePort } = socket;
      verdict =
        pid === undefined || localPort === undefined || remotePort === undefined
          ? Promise.resolve(false)
          : peerIsProcessTree(pid, localPort, remotePort).catch(() => false);
      this.verdicts.set(socket, verdict);
    }
    return (await verdict) ? undefined : "Only this execution environment's runtime may use its Runtime API.";
  }

  private next(res: ServerResponse): void {
    if (this.parked) {
      answer(res, 400, stateError());
      return;
    }
    this.parked = res;
    res.once('close', () => {
      if (this.parked === res) this.parked = undefined;
    });
    if (!this.initialised) {
      this.initialised = true;
      this.events.ready();
    }
    this.flush();
  }
}

function stateError() {
  return { errorMessage: 'Invalid State', errorType: 'InvalidStateTransition' };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The runtime's error document as Lambda passes it on; a body that is not one keeps the header's type. */
export function errorPayload(body: Buffer | undefined, typeHeader: string | undefined): FunctionErrorPayload {
  const text = body?.toString('utf8') ?? '';
  try {
    const value = JSON.parse(text) as Partial<FunctionErrorPayload>;
    if (value && typeof value === 'object' && typeof value.errorType === 'string') return value as FunctionErrorPayload;
  } catch {
    // not JSON: described below from the header
  }
  return { errorType: typeHeader ?? 'Unknown', errorMessage: text.slice(0, 1_000) };
}

/** Reads a body up to `limit` bytes; `undefined` (the rest drained) past it. */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) over = true;
    if (!over) chunks.push(chunk);
  }
  return over ? undefined : Buffer.concat(chunks);
}
