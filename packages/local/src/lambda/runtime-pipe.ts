/**
 * The channel between the local Lambda service and a Node.js execution environment: two pipes the
 * service creates when it starts the runtime's process (descriptor 3 carries events to the runtime,
 * descriptor 4 its answers back), speaking the frames of runtimes/runtime-frames.mjs — or, for an
 * environment that is a worker thread (`isolation: 'thread'`), the same frames as messages on the
 * thread's port. Only the transport differs (`streamTransport`, `portTransport`); what the frames
 * mean is this one class's.
 *
 * Why not the Runtime API, as Python and custom runtimes get: on AWS a Node.js function never sees
 * the Runtime API — the runtime interface client inside Lambda's image speaks it, and the handler
 * gets `(event, context)` — so the transport is the emulator's to choose, and an HTTP exchange over
 * loopback TCP per event and per answer cost ≈ 0.13 ms of CPU per invocation in the runtime and
 * ≈ 0.09 ms in the service, against ≈ 0.04 ms a side for a message on a pipe (docs/PERFORMANCE.md). Two pipes cost a write each, and nothing but the process the
 * service started holds them: no port, no `Host` or peer check, nothing a web page or another
 * local process can reach.
 *
 * The states follow the Runtime API's: the runtime says `ready` once its init is done (the first
 * `/next`) or sends `init-error`; then each event gets one `response` or `error` for its request id.
 * A frame for another request id is dropped, as the Runtime API refuses it.
 */
import type { Readable, Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { MAX_RESPONSE_BYTES } from './function-errors';
import {
  errorPayload,
  type RuntimeApiEvents,
  type RuntimeChannel,
  type RuntimeInvocation,
  type RuntimeResult,
} from './runtime-api';
import { encodeFrame, type Frame, FrameReader, transferableFrame } from './runtimes/runtime-frames.mjs';

/** Far above any header the bootstrap writes (a request id and an error type). */
const MAX_HEADER_BYTES = 64 * 1024;

/** How frames travel between the service and one runtime. */
export interface RuntimeTransport {
  /** Whether a frame written now can still reach the runtime. */
  readonly open: boolean;
  write(frame: Buffer): void;
  /**
   * Hands `receive` the runtime's bytes as they come, in order, and `refuse` anything that cannot
   * be bytes of a frame.
   */
  listen(receive: (chunk: Buffer) => void, refuse: (reason: string) => void): void;
  close(): void;
}

/** The runtime process's two pipes. */
export function streamTransport(toRuntime: Writable, fromRuntime: Readable): RuntimeTransport {
  // A runtime that exits with an event unread resets its end; its exit says what happened.
  toRuntime.on('error', () => {});
  fromRuntime.on('error', () => {});
  return {
    get open() {
      return !toRuntime.destroyed && toRuntime.writable;
    },
    write: (frame) => toRuntime.write(frame),
    listen: (receive) => fromRuntime.on('data', receive),
    close: () => {
      toRuntime.destroy();
      fromRuntime.destroy();
    },
  };
}

/**
 * A worker thread's port: one frame per message, its bytes moved rather than copied when they own
 * their memory. Messages the thread posted before it ended are still received (Node drains the
 * port before the worker's `exit`), so a crash's error frame arrives before the exit does.
 */
export function portTransport(worker: Worker): RuntimeTransport {
  let open = true;
  worker.once('exit', () => {
    open = false;
  });
  return {
    get open() {
      return open;
    },
    write: (frame) => {
      const message = transferableFrame(frame);
      worker.postMessage(message, [message.buffer]);
    },
    listen: (receive, refuse) =>
      worker.on('message', (message: unknown) => {
        if (message instanceof Uint8Array) receive(Buffer.from(message.buffer, message.byteOffset, message.byteLength));
        // A handler can post on the thread's port too: anything but a frame's bytes breaks the channel.
        else refuse(`a message that is not a frame (${typeof message})`);
      }),
    close: () => {
      open = false;
    },
  };
}

export class RuntimePipe implements RuntimeChannel {
  private transport: RuntimeTransport | undefined;
  private readonly reader = new FrameReader({ maxHeaderBytes: MAX_HEADER_BYTES, maxPayloadBytes: MAX_RESPONSE_BYTES });
  private initialised = false;
  /** The invocation handed to the runtime and not yet answered. */
  private current: string | undefined;
  private pending = false;

  /** `broken` is told when the runtime wrote something that is not a frame: the environment must end. */
  constructor(
    private readonly events: RuntimeApiEvents,
    private readonly broken: (reason: string) => void,
  ) {}

  /** The runtime's transport, once its process or thread is started. */
  attach(transport: RuntimeTransport): void {
    this.transport = transport;
    transport.listen(
      (chunk) => {
        if (!this.transport) return;
        let frames: Frame[];
        try {
          frames = this.reader.push(chunk);
        } catch (error) {
          this.refuse((error as Error).message);
          return;
        }
        for (const frame of frames) this.receive(frame);
      },
      (reason) => this.refuse(reason),
    );
  }

  private refuse(reason: string): void {
    if (!this.transport) return;
    this.close();
    this.broken(`the runtime's channel broke: ${reason}`);
  }

  deliver(invocation: RuntimeInvocation): void {
    const transport = this.transport;
    if (!transport?.open) {
      // The runtime is gone: the event stays undelivered, for a runtime that can take it.
      this.pending = true;
      return;
    }
    this.pending = false;
    this.current = invocation.requestId;
    const { event, ...header } = invocation;
    transport.write(encodeFrame({ type: 'invoke', ...header }, event));
  }

  get delivered(): boolean {
    return !this.pending;
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }

  private receive({ header, payload, oversize }: Frame): void {
    const errorType = typeof header.errorType === 'string' ? header.errorType : undefined;
    if (header.type === 'ready' || header.type === 'init-error') {
      if (this.initialised) return;
      this.initialised = true;
      if (header.type === 'ready') this.events.ready();
      else this.events.initError(errorPayload(payload, errorType));
      return;
    }
    if (header.type !== 'response' && header.type !== 'error') return;
    const requestId = header.requestId;
    if (typeof requestId !== 'string' || requestId !== this.current) return;
    this.current = undefined;
    if (header.exiting === true) this.events.exiting?.();
    let result: RuntimeResult;
    if (oversize !== undefined) result = { kind: 'too-large' };
    else if (header.type === 'response') result = { kind: 'success', payload: payload?.toString('utf8') ?? 'null' };
    else result = { kind: 'function-error', payload: errorPayload(payload, errorType) };
    this.events.result(requestId, result);
  }
}
