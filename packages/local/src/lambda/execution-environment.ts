/**
 * One Lambda execution environment: a runtime process (Node, Python or a `bootstrap`) taking its
 * events from its own Runtime API (Python, custom runtimes) or over two pipes (Node: runtime-pipe.ts),
 * initialised once, then running one invocation at a time — or, for a Node.js function whose
 * isolation is `thread`, a worker thread of this process running the same bootstrap, its frames on
 * the thread's port. The service enforces what the runtime cannot be trusted to: the timeout, the
 * init timeout and the memory size (by killing the process or terminating the thread, as Lambda
 * does), so a stuck or bloated handler never holds the environment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { randomHex } from '../random-hex';
import type { LocalFunctionDefinition } from './function-definition';
import {
  exited,
  type FunctionErrorPayload,
  INIT_TIMEOUT_MS,
  initTimedOut,
  invalidEntrypoint,
  outOfMemory,
  responseTooLarge,
  timedOut,
} from './function-errors';
import { RuntimeApi, type RuntimeApiEvents, type RuntimeChannel, type RuntimeResult } from './runtime-api';
import { launchFor, type RuntimeLaunch } from './runtime-launch';
import { portTransport, RuntimePipe, streamTransport } from './runtime-pipe';

const KILL_WAIT_MS = 2_000;
/** How often a busy environment's resident memory is read (Linux `/proc`). */
const MEMORY_POLL_MS = 50;
const PAGE_BYTES = 4096;
/** SIGKILL (9) in `/proc/<pid>/status`'s pending-signal masks. */
const SIGKILL_BIT = 1n << 8n;
/**
 * One buffer for every `/proc/<pid>/status` read: they are synchronous, never two at once. The file
 * is ≈ 1.5 KB; the fields read come in its first half.
 */
const STATUS_BUFFER = Buffer.allocUnsafe(4096);
/** V8's last words when the heap limit (`--max-old-space-size`) is reached. */
const NODE_HEAP_EXHAUSTED = /JavaScript heap out of memory/;
/** A worker thread's end when its heap reached `resourceLimits`. */
const WORKER_OUT_OF_MEMORY = 'ERR_WORKER_OUT_OF_MEMORY';

export type InvocationOutcome =
  | { kind: 'success'; payload: string }
  | { kind: 'function-error'; payload: FunctionErrorPayload }
  /** The environment died before its runtime took the event: the code never saw it. */
  | { kind: 'not-delivered' };

export interface InvocationRequest {
  requestId: string;
  event: string;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
}

type InitResult = { kind: 'ready' } | { kind: 'error'; payload: FunctionErrorPayload } | { kind: 'timeout' | 'exited' };

export type LogSink = (functionName: string, stream: 'stdout' | 'stderr', line: string) => void;

export class ExecutionEnvironment {
  private child: ChildProcess | undefined;
  /** The environment's thread, when it is one (`isolation: 'thread'`) rather than a process. */
  private thread: Worker | undefined;
  private readonly launch: RuntimeLaunch;
  private readonly channel: RuntimeChannel;
  /** The environment's Runtime API server, for runtimes whose contract it is. */
  private readonly api: RuntimeApi | undefined;
  private readonly init: Promise<InitResult>;
  private settleInit: (result: InitResult) => void = () => {};
  private exitInfo: { code: number | null; signal: string | null } | undefined;
  private readonly exitWaiters: Array<() => void> = [];
  private waiting: { requestId: string; settle: (result: RuntimeResult | undefined) => void } | undefined;
  private memoryTimer: NodeJS.Timeout | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private outOfMemory = false;
  /**
   * `/proc/<pid>/status`, opened when the process starts (Linux): each liveness check is then one
   * read rather than an open, a read and a close, and once the process is reaped the read fails,
   * whichever process gets the pid next.
   */
  private statusFd: number | undefined;
  /** True once the process is gone or must not be reused. */
  dead = false;

  constructor(
    private readonly definition: LocalFunctionDefinition,
    private readonly environment: Record<string, string>,
    readonly generation: number,
    private readonly log: LogSink,
    host: string,
  ) {
    const events: RuntimeApiEvents = {
      ready: () => this.settleInit({ kind: 'ready' }),
      initError: (payload) => this.settleInit({ kind: 'error', payload }),
      result: (requestId, result) => {
        if (this.waiting?.requestId === requestId) this.waiting.settle(result);
      },
      exiting: () => {
        this.dead = true;
      },
    };
    this.launch = launchFor(definition);
    if (this.launch.kind === 'thread' || (this.launch.kind === 'spawn' && this.launch.channel === 'pipes')) {
      this.channel = new RuntimePipe(events, (reason) => {
        this.log(definition.name, 'stderr', reason);
        this.kill();
      });
    } else {
      this.api = new RuntimeApi(events, () => this.child?.pid);
      this.channel = this.api;
    }
    this.init = new Promise<InitResult>((resolve) => {
      this.settleInit = resolve;
    }).then((result) => {
      // Settled before any invocation's continuation runs: init's watch must not outlive init.
      clearTimeout(this.initTimer);
      this.stopWatchingMemory();
      if (result.kind !== 'ready') {
        this.kill();
        if (result.kind === 'error') this.reportInitError(result.payload);
      }
      return result;
    });
    void this.start(host);
  }

  /** The runtime's process id while it runs; a thread has none of its own. */
  get pid(): number | undefined {
    return this.exitInfo ? undefined : this.child?.pid;
  }

  /** The runtime's thread id while it runs (`isolation: 'thread'`). */
  get threadId(): number | undefined {
    return this.exitInfo ? undefined : this.thread?.threadId;
  }

  private async start(host: string): Promise<void> {
    const launch = this.launch;
    if (launch.kind === 'refused') return this.settleInit({ kind: 'error', payload: launch.payload });
    const api = this.api;
    if (api) {
      try {
        await api.listen(host);
      } catch (error) {
        return this.settleInit({
          kind: 'error',
          payload: invalidEntrypoint(`Runtime API: ${(error as Error).message}`),
        });
      }
    }
    if (this.dead) return this.channel.close();
    const credentials = this.definition.awsCredentials?.issue();
    const env = {
      ...this.environment,
      ...credentials?.environment,
      ...launch.environment,
      ...(api ? { AWS_LAMBDA_RUNTIME_API: api.address } : {}),
      _HANDLER: this.definition.handler,
    };
    if (launch.kind === 'thread') return this.startThread(launch, env, credentials);
    const child = spawn(launch.command, launch.args, {
      cwd: this.definition.codeDir,
      env,
      // The Node runtime's channel: events on descriptor 3, answers on 4 (runtime-pipe.ts).
      stdio: api ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    if (process.platform === 'linux' && child.pid !== undefined) {
      try {
        this.statusFd = openSync(`/proc/${child.pid}/status`, 'r');
      } catch {
        // Already gone: its exit event follows.
      }
    }
    if (this.channel instanceof RuntimePipe) {
      const [, , , toRuntime, fromRuntime] = child.stdio;
      if (toRuntime && fromRuntime) {
        this.channel.attach(streamTransport(toRuntime as Writable, fromRuntime as Readable));
      }
    }
    this.logLines(child.stdout, child.stderr);
    const gone = (code: number | null, signal: string | null) => this.gone(code, signal, credentials);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return this.kill();
      // Never started (no interpreter, no permission): no exit event follows.
      this.log(this.definition.name, 'stderr', `cannot start the runtime: ${launch.missing}`);
      this.settleInit({ kind: 'error', payload: invalidEntrypoint(`${launch.missing} (${error.code})`) });
      gone(null, null);
    });
    child.on('exit', gone);
    this.watchMemory();
    this.initTimer = setTimeout(() => this.settleInit({ kind: 'timeout' }), INIT_TIMEOUT_MS);
  }

  /**
   * A Node.js environment as a worker thread: its own `process.env` (a copy of `env`: what it sets
   * stays its own), module registry and V8 heap limit; the process's working directory, which a
   * thread cannot change — the bootstrap finds the handler through `LAMBDA_TASK_ROOT`.
   */
  private startThread(
    launch: Extract<RuntimeLaunch, { kind: 'thread' }>,
    env: Record<string, string>,
    credentials: { revoke(): void } | undefined,
  ): void {
    let thread: Worker;
    try {
      thread = new Worker(launch.bootstrap, {
        env,
        argv: [],
        execArgv: launch.execArgv,
        resourceLimits: launch.resourceLimits,
        stdout: true,
        stderr: true,
      });
    } catch (error) {
      this.log(this.definition.name, 'stderr', `cannot start the runtime thread: ${(error as Error).message}`);
      this.settleInit({
        kind: 'error',
        payload: invalidEntrypoint(`Node.js worker thread: ${(error as Error).message}`),
      });
      this.gone(null, null, credentials);
      return;
    }
    this.thread = thread;
    if (this.channel instanceof RuntimePipe) this.channel.attach(portTransport(thread));
    this.logLines(thread.stdout, thread.stderr);
    thread.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === WORKER_OUT_OF_MEMORY) {
        this.outOfMemory = true;
        this.log(
          this.definition.name,
          'stderr',
          `out of memory: the heap reached its limit (${launch.resourceLimits.maxOldGenerationSizeMb} MB old space for the function's ${this.definition.memoryMb} MB); the environment is replaced`,
        );
        return;
      }
      // What the bootstrap could not catch (it reports the handler's own errors as frames).
      this.log(this.definition.name, 'stderr', `the runtime thread failed: ${error.stack ?? error.message}`);
    });
    thread.on('exit', (code) => this.gone(code, null, credentials));
    this.initTimer = setTimeout(() => this.settleInit({ kind: 'timeout' }), INIT_TIMEOUT_MS);
  }

  /** Each line the runtime writes goes to the log sink; Node's heap-exhaustion line marks an OOM. */
  private logLines(stdout: Readable | null, stderr: Readable | null): void {
    for (const [stream, output] of [
      ['stdout', stdout],
      ['stderr', stderr],
    ] as const) {
      if (!output) continue;
      createInterface({ input: output }).on('line', (line) => {
        if (NODE_HEAP_EXHAUSTED.test(line)) this.outOfMemory = true;
        this.log(this.definition.name, stream, line);
      });
    }
  }

  /** The process or thread has ended (or never started): everything waiting on it is told. */
  private gone(code: number | null, signal: string | null, credentials: { revoke(): void } | undefined): void {
    if (this.exitInfo) return;
    this.dead = true;
    this.exitInfo = { code, signal };
    if (this.statusFd !== undefined) closeSync(this.statusFd);
    this.statusFd = undefined;
    credentials?.revoke();
    this.stopWatchingMemory();
    this.channel.close();
    this.settleInit({ kind: 'exited' });
    this.waiting?.settle(undefined);
    for (const resolve of this.exitWaiters.splice(0)) resolve();
  }

  /**
   * Whether the process or thread still runs. A thread can only end from inside this process, which
   * tells at once (its `exit`); a process can be killed from outside. The exit event can trail a
   * process's death by a turn of the event loop,
   * and a process killed from outside may not even have been scheduled to die yet on a busy
   * machine; on Linux the process table says both at once (state `Z`/`X`, or SIGKILL pending), so
   * an idle environment is checked before it is handed an event.
   */
  get alive(): boolean {
    if (this.dead) return false;
    const fd = this.statusFd;
    if (fd === undefined) return true;
    let status: string;
    try {
      status = STATUS_BUFFER.toString('latin1', 0, readSync(fd, STATUS_BUFFER, 0, STATUS_BUFFER.length, 0));
    } catch {
      return false;
    }
    if (/^State:\s+[ZX]/m.test(status)) return false;
    // Both masks: a SIGKILL the process has begun acting on is gone from its own (SigPnd) but stays
    // in the process's shared one (ShdPnd) until it is a zombie.
    for (const pending of status.matchAll(/^(?:SigPnd|ShdPnd):\s+([0-9a-f]+)$/gm)) {
      if ((BigInt(`0x${pending[1]}`) & SIGKILL_BIT) !== 0n) return false;
    }
    return true;
  }

  /** Runs one invocation; the environment is dead afterwards if it timed out, crashed or failed init. */
  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const init = await this.init;
    if (init.kind === 'error') return { kind: 'function-error', payload: init.payload };
    if (init.kind === 'timeout') return { kind: 'function-error', payload: initTimedOut(request.requestId) };
    if (init.kind === 'exited') return this.exitOutcome(request.requestId);
    if (this.dead) return { kind: 'not-delivered' };
    const timeoutMs = this.definition.timeoutSeconds * 1000;
    const result = await new Promise<RuntimeResult | undefined | 'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      this.waiting = {
        requestId: request.requestId,
        settle: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
      };
      this.watchMemory();
      this.channel.deliver({
        requestId: request.requestId,
        event: request.event,
        deadlineMs: Date.now() + timeoutMs,
        invokedFunctionArn: request.invokedFunctionArn,
        traceId: request.traceId ?? traceId(),
        ...(request.clientContext ? { clientContext: request.clientContext } : {}),
      });
    });
    this.waiting = undefined;
    this.stopWatchingMemory();
    if (result === 'timeout') {
      this.kill();
      return { kind: 'function-error', payload: timedOut(request.requestId, this.definition.timeoutSeconds) };
    }
    if (result === undefined) return this.exitOutcome(request.requestId);
    if (result.kind === 'too-large') return { kind: 'function-error', payload: responseTooLarge() };
    return result;
  }

  private exitOutcome(requestId: string): InvocationOutcome {
    if (this.outOfMemory) return { kind: 'function-error', payload: outOfMemory(requestId) };
    if (!this.channel.delivered) return { kind: 'not-delivered' };
    return {
      kind: 'function-error',
      payload: exited(requestId, this.exitInfo?.code ?? null, this.exitInfo?.signal ?? null),
    };
  }

  private reportInitError(payload: FunctionErrorPayload): void {
    this.log(this.definition.name, 'stderr', `init failed: ${payload.errorType}: ${payload.errorMessage}`);
  }

  /**
   * Lambda's memory size is a hard limit: past it the environment is killed, whatever the runtime.
   * A thread's resident memory is the whole process's, so only its heap limit applies.
   */
  private watchMemory(): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.memoryTimer || process.platform !== 'linux') return;
    const limit = this.definition.memoryMb * 2 ** 20;
    this.memoryTimer = setInterval(() => {
      let rss: number;
      try {
        rss = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
      } catch {
        return;
      }
      if (rss > limit) {
        this.outOfMemory = true;
        this.log(
          this.definition.name,
          'stderr',
          `out of memory: ${Math.round(rss / 2 ** 20)} MB resident, over the function's ${this.definition.memoryMb} MB; the environment is replaced`,
        );
        this.kill();
      }
    }, MEMORY_POLL_MS);
    this.memoryTimer.unref();
  }

  private stopWatchingMemory(): void {
    clearInterval(this.memoryTimer);
    this.memoryTimer = undefined;
  }

  kill(): void {
    this.dead = true;
    this.stopWatchingMemory();
    if (this.child && !this.exitInfo) this.child.kill('SIGKILL');
    // A thread stops at its next JavaScript instruction: even a handler spinning in a loop.
    if (this.thread && !this.exitInfo) void this.thread.terminate();
    if (!this.child && !this.thread) {
      // Ended before its process was spawned (service closing): nothing will ever report init.
      this.channel.close();
      this.settleInit({ kind: 'exited' });
    }
  }

  /** Kills the process (or ends the thread) and waits (bounded) until it is gone. */
  stop(): Promise<void> {
    this.kill();
    if (this.exitInfo || (!this.child && !this.thread)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, KILL_WAIT_MS);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** An X-Ray trace header for an invocation that came without one. */
function traceId(): string {
  const time = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  const random = randomHex(40);
  return `Root=1-${time}-${random.slice(0, 24)};Parent=${random.slice(24)};Sampled=0`;
}
