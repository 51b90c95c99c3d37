/**
 * One Lambda execution environment: a forked Node.js process that imports the bundle once and then
 * runs one invocation at a time. The parent enforces the function's timeout by killing the
 * process, as Lambda does, so a stuck handler can never hold the worker.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FunctionDefinition } from './function-definition';
import {
  exited,
  type FunctionErrorPayload,
  INIT_TIMEOUT_MS,
  initTimedOut,
  MAX_RESPONSE_BYTES,
  responseTooLarge,
  timedOut,
} from './function-errors';

const RUNTIME_SCRIPT = fileURLToPath(new URL('./worker-runtime.mjs', import.meta.url));
const KILL_WAIT_MS = 2_000;

export type InvocationOutcome =
  | { kind: 'success'; payload: string }
  | { kind: 'function-error'; payload: FunctionErrorPayload };

export interface InvocationRequest {
  requestId: string;
  event: string;
  invokedFunctionArn: string;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; payload: FunctionErrorPayload }
  | { type: 'result'; requestId: string; payload: string }
  | { type: 'error'; requestId: string; payload: FunctionErrorPayload; fatal?: boolean };

type InitResult = { kind: 'ready' } | { kind: 'error'; payload: FunctionErrorPayload } | { kind: 'timeout' | 'exited' };

export type LogSink = (functionName: string, stream: 'stdout' | 'stderr', line: string) => void;

export class Worker {
  private readonly child: ChildProcess;
  /** Settles when init ends: `ready`, the bundle's own init error, or how init failed to finish. */
  private readonly init: Promise<InitResult>;
  private exitInfo: { code: number | null; signal: string | null } | undefined;
  private readonly exitWaiters: Array<() => void> = [];
  private pending: ((message: WorkerMessage | undefined) => void) | undefined;
  /** True once the process is gone or must not be reused. */
  dead = false;
  readonly generation: number;

  constructor(
    private readonly definition: FunctionDefinition,
    environment: Record<string, string>,
    generation: number,
    log: LogSink,
  ) {
    this.generation = generation;
    this.child = fork(RUNTIME_SCRIPT, [definition.bundlePath, definition.handlerExport ?? 'handler'], {
      cwd: path.dirname(definition.bundlePath),
      env: environment,
      execArgv: ['--enable-source-maps'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = this.child[stream];
      if (source) createInterface({ input: source }).on('line', (line) => log(definition.name, stream, line));
    }
    this.child.on('message', (message: WorkerMessage) => this.settle(message));
    // A failed send or kill surfaces here; the exit handler below settles whatever was waiting.
    this.child.on('error', () => this.kill());
    this.child.on('exit', (code, signal) => {
      this.dead = true;
      this.exitInfo = { code, signal };
      this.settle(undefined);
      for (const resolve of this.exitWaiters.splice(0)) resolve();
    });
    this.init = this.next(INIT_TIMEOUT_MS).then((message): InitResult => {
      if (message?.type === 'ready') return { kind: 'ready' };
      const timedOutInInit = message === undefined && !this.dead;
      this.kill();
      if (message?.type === 'init-error') return { kind: 'error', payload: message.payload };
      return { kind: timedOutInInit ? 'timeout' : 'exited' };
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one invocation; the worker is dead afterwards if it timed out, crashed or failed init. */
  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const init = await this.init;
    if (init.kind === 'error') return { kind: 'function-error', payload: init.payload };
    if (init.kind === 'timeout') return { kind: 'function-error', payload: initTimedOut(request.requestId) };
    if (init.kind === 'exited') return { kind: 'function-error', payload: this.exitError(request.requestId) };
    const timeoutMs = this.definition.timeoutSeconds * 1000;
    const answer = this.next(timeoutMs);
    if (this.dead || !this.child.connected)
      return { kind: 'function-error', payload: this.exitError(request.requestId) };
    this.child.send({ ...request, deadlineMs: Date.now() + timeoutMs });
    const message = await answer;
    if (message === undefined) {
      if (this.dead) return { kind: 'function-error', payload: this.exitError(request.requestId) };
      this.kill();
      return { kind: 'function-error', payload: timedOut(request.requestId, this.definition.timeoutSeconds) };
    }
    if (message.type === 'result') {
      if (Buffer.byteLength(message.payload) > MAX_RESPONSE_BYTES)
        return { kind: 'function-error', payload: responseTooLarge() };
      return { kind: 'success', payload: message.payload };
    }
    if (message.type === 'error') {
      // The runtime exits after an uncaught error; never hand this worker another invocation.
      if (message.fatal) this.kill();
      return { kind: 'function-error', payload: message.payload };
    }
    return { kind: 'function-error', payload: this.exitError(request.requestId) };
  }

  private exitError(requestId: string): FunctionErrorPayload {
    return exited(requestId, this.exitInfo?.code ?? null, this.exitInfo?.signal ?? null);
  }

  /** Waits for the next message, the process's exit (`undefined`), or the deadline (`undefined`). */
  private next(timeoutMs: number): Promise<WorkerMessage | undefined> {
    return new Promise((resolve) => {
      if (this.dead) return resolve(undefined);
      const timer = setTimeout(() => {
        this.pending = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.pending = (message) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(message);
      };
    });
  }

  private settle(message: WorkerMessage | undefined): void {
    this.pending?.(message);
  }

  kill(): void {
    this.dead = true;
    if (!this.exitInfo) this.child.kill('SIGKILL');
  }

  /** Kills the process and waits (bounded) until it is gone. */
  stop(): Promise<void> {
    this.kill();
    if (this.exitInfo) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, KILL_WAIT_MS);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
