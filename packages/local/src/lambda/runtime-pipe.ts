/**
 * The channel between the local Lambda service and a Node.js execution environment: two pipes the
 * service creates when it starts the runtime's process (descriptor 3 carries events to the runtime,
 * descriptor 4 its answers back), speaking the frames of runtimes/runtime-frames.mjs.
 *
 * Why not the Runtime API, as Python and custom runtimes get: on AWS a Node.js function never sees
 * the Runtime API — the runtime interface client inside Lambda's image speaks it, and the handler
 * gets `(event, context)` — so the transport is the emulator's to choose, and an HTTP exchange over
 * loopback TCP per event and per answer cost a Node environment ≈ 0.3 ms of CPU per invocation on
 * each side (docs/PERFORMANCE.md). Two pipes cost a write each, and nothing but the process the
 * service started holds them: no port, no `Host` or peer check, nothing a web page or another
 * local process can reach.
 *
 * The states follow the Runtime API's: the runtime says `ready` once its init is done (the first
 * `/next`) or sends `init-error`; then each event gets one `response` or `error` for its request id.
 * A frame for another request id is dropped, as the Runtime API refuses it.
 */
import type { Readable, Writable } from 'node:stream';
import { MAX_RESPONSE_BYTES } from './function-errors';
import {
  errorPayload,
  type RuntimeApiEvents,
  type RuntimeChannel,
  type RuntimeInvocation,
  type RuntimeResult,
} from './runtime-api';
import { encodeFrame, type Frame, FrameReader } from './runtimes/runtime-frames.mjs';

/** Far above any header the bootstrap writes (a request id and an error type). */
const MAX_HEADER_BYTES = 64 * 1024;

export class RuntimePipe implements RuntimeChannel {
  private toRuntime: Writable | undefined;
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

  /** The runtime process's two pipes, once it is spawned. */
  attach(toRuntime: Writable, fromRuntime: Readable): void {
    this.toRuntime = toRuntime;
    // A runtime that exits with an event unread resets its end; its exit says what happened.
    toRuntime.on('error', () => {});
    fromRuntime.on('error', () => {});
    fromRuntime.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch (error) {
        fromRuntime.destroy();
        this.broken(`the runtime's channel broke: ${(error as Error).message}`);
        return;
      }
      for (const frame of frames) this.receive(frame);
    });
  }

  deliver(invocation: RuntimeInvocation): void {
    const pipe = this.toRuntime;
    if (!pipe || pipe.destroyed || !pipe.writable) {
      // The runtime is gone: the event stays undelivered, for a runtime that can take it.
      this.pending = true;
      return;
    }
    this.pending = false;
    this.current = invocation.requestId;
    const { event, ...header } = invocation;
    pipe.write(encodeFrame({ type: 'invoke', ...header }, event));
  }

  get delivered(): boolean {
    return !this.pending;
  }

  close(): void {
    this.toRuntime?.destroy();
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
    let result: RuntimeResult;
    if (oversize !== undefined) result = { kind: 'too-large' };
    else if (header.type === 'response') result = { kind: 'success', payload: payload?.toString('utf8') ?? 'null' };
    else result = { kind: 'function-error', payload: errorPayload(payload, errorType) };
    this.events.result(requestId, result);
  }
}
