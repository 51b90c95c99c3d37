/**
 * The execution environments of one function. Two bounds, as on Lambda and on a laptop:
 * - the function's **concurrency** (`maxWorkers`): invocations in progress, running or waiting.
 *   Past it a synchronous invoke is refused (`ThrottledError` → 429), as Lambda refuses rather
 *   than queues past a function's reserved concurrency;
 * - the **process cap** (`maxProcesses`, by default one per CPU core and at least two): live
 *   environments. Lambda would start another environment; here a 2-core machine running 64
 *   processes spends its time switching between them (docs/PERFORMANCE.md), so an invocation under
 *   the concurrency but over the cap waits for a free environment, as it would wait for a cold
 *   start on AWS. A waiting invocation is dropped without running when its caller goes away
 *   (`signal`) or when its wait alone exceeds the function's timeout — so nothing runs after its
 *   caller has had an answer.
 * Asynchronous (`Event`) invocations wait whatever the concurrency, as Lambda's own queue does.
 * Recycling (after a code change) retires every environment so the next invocation cold-starts
 * the new code.
 */

import { availableParallelism } from 'node:os';
import {
  ExecutionEnvironment,
  type InvocationOutcome,
  type InvocationRequest,
  type LogSink,
} from './execution-environment';
import type { LocalFunctionDefinition } from './function-definition';
import { InvocationAbandonedError, ThrottledError, timedOut } from './function-errors';

const DEFAULT_MAX_WORKERS = 4;
/** A dead environment found only when the event is handed over gets this many fresh tries. */
const REDELIVERIES = 2;

/**
 * Live environments per function when the definition does not say: one per core, at least two.
 * Read once: the CPU count is a system call, and a pool asks at every invocation.
 */
const DEFAULT_PROCESS_CAP = Math.max(2, availableParallelism());

export type PoolOutcome = Exclude<InvocationOutcome, { kind: 'not-delivered' }>;

export interface PoolInvokeOptions {
  /** Wait for an environment whatever the concurrency (asynchronous invocations, which have no caller). */
  queue?: boolean;
  /** Aborted when the caller has gone: an invocation still waiting for an environment is dropped unrun. */
  signal?: AbortSignal;
}

interface Waiter {
  take(env: ExecutionEnvironment): void;
  fail(error: Error): void;
}

export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private readonly waiting: Waiter[] = [];
  /** Synchronous invocations accepted and not finished, running or waiting: what the concurrency bounds. */
  private inProgress = 0;
  private generation = 0;
  private closed = false;
  private retiring = false;

  constructor(
    readonly definition: LocalFunctionDefinition,
    private readonly environment: Record<string, string>,
    private readonly log: LogSink,
    private readonly host = '127.0.0.1',
  ) {}

  get size(): { idle: number; busy: number; waiting: number } {
    return { idle: this.idle.length, busy: this.busy.size, waiting: this.waiting.length };
  }

  /** Process ids of every live environment (tests check that nothing outlives `close()`). */
  get pids(): number[] {
    return [...this.idle, ...this.busy].flatMap((e) => (e.pid === undefined ? [] : [e.pid]));
  }

  /** Thread ids of every live environment that is a worker thread (`isolation: 'thread'`). */
  get threadIds(): number[] {
    return [...this.idle, ...this.busy].flatMap((e) => (e.threadId === undefined ? [] : [e.threadId]));
  }

  /** The function's concurrency: synchronous invocations past it are refused. */
  get concurrency(): number {
    return this.definition.maxWorkers ?? DEFAULT_MAX_WORKERS;
  }

  /** Live environments at most: at least one, and never more than the concurrency could keep busy. */
  get processCap(): number {
    return Math.max(1, Math.min(this.definition.maxProcesses ?? DEFAULT_PROCESS_CAP, this.concurrency));
  }

  /**
   * Runs one invocation. Past the concurrency a synchronous invocation throws `ThrottledError`;
   * one that waits and whose `signal` aborts throws `InvocationAbandonedError` without having run.
   */
  async invoke(request: InvocationRequest, options: PoolInvokeOptions = {}): Promise<PoolOutcome> {
    if (this.closed) throw new Error(`function ${this.definition.name} is shut down`);
    if (options.queue) return this.run(request, options);
    if (this.inProgress >= this.concurrency) {
      throw new ThrottledError(
        `function ${this.definition.name} is running ${this.inProgress} of ${this.concurrency} invocations`,
      );
    }
    this.inProgress++;
    try {
      return await this.run(request, options);
    } finally {
      this.inProgress--;
    }
  }

  private async run(request: InvocationRequest, options: PoolInvokeOptions): Promise<PoolOutcome> {
    for (let attempt = 0; ; attempt++) {
      const env = await this.acquire(options);
      // Its wait alone outlasted the function's timeout: the caller gets the timeout it would have got.
      if (!env) return { kind: 'function-error', payload: timedOut(request.requestId, this.definition.timeoutSeconds) };
      let outcome: InvocationOutcome;
      try {
        outcome = await env.invoke(request);
      } finally {
        this.release(env);
      }
      if (outcome.kind !== 'not-delivered') return outcome;
      // The environment died before its runtime took the event, so the code never ran: a fresh
      // environment runs it once.
      if (attempt >= REDELIVERIES || this.closed)
        throw new Error(`function ${this.definition.name}: no environment stayed up`);
    }
  }

  /** Retires every environment: idle ones now, busy ones when their invocation ends. */
  recycle(): void {
    this.generation++;
    for (const env of this.idle.splice(0)) env.kill();
  }

  /**
   * Replaced by a new definition: invocations already here (running or waiting) finish on this
   * pool, as on AWS during a configuration update; then its environments end. Nothing new comes in.
   */
  retire(): void {
    this.retiring = true;
    this.recycle();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of [...this.waiting]) waiter.fail(new Error(`function ${this.definition.name} is shut down`));
    const all = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(all.map((e) => e.stop()));
  }

  /** A free environment, at once or after a wait; `undefined` when the wait outlasted the timeout. */
  private acquire(options: PoolInvokeOptions): Promise<ExecutionEnvironment | undefined> {
    const env = this.take();
    if (env) return Promise.resolve(env);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(this.abandoned());
    return new Promise((resolve, reject) => {
      const leave = () => {
        const index = this.waiting.indexOf(waiter);
        if (index !== -1) this.waiting.splice(index, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        take: (env) => {
          leave();
          resolve(env);
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const onAbort = () => waiter.fail(this.abandoned());
      // An asynchronous invocation has no caller waiting on it, and Lambda keeps those for hours.
      const timer = options.queue
        ? undefined
        : setTimeout(() => {
            leave();
            resolve(undefined);
          }, this.definition.timeoutSeconds * 1000);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** An idle environment that is still alive, or a cold start while under the process cap. */
  private take(): ExecutionEnvironment | undefined {
    for (let warm = this.idle.pop(); warm; warm = this.idle.pop()) {
      // Crashed after answering, or killed from outside while idle: never hand it an event.
      if (!warm.alive) {
        warm.kill();
        continue;
      }
      this.busy.add(warm);
      return warm;
    }
    return this.busy.size < this.processCap ? this.coldStart() : undefined;
  }

  private abandoned(): InvocationAbandonedError {
    return new InvocationAbandonedError(
      `function ${this.definition.name}: the caller went away while the invocation waited for an environment`,
    );
  }

  private coldStart(): ExecutionEnvironment {
    const env = new ExecutionEnvironment(this.definition, this.environment, this.generation, this.log, this.host);
    this.busy.add(env);
    return env;
  }

  private release(env: ExecutionEnvironment): void {
    this.busy.delete(env);
    if (this.closed) {
      env.kill();
      return;
    }
    const reusable = !env.dead && env.generation === this.generation && !(this.retiring && this.waiting.length === 0);
    if (!reusable) env.kill();
    const next = this.waiting[0];
    if (next) {
      next.take(reusable ? this.claim(env) : this.coldStart());
      return;
    }
    if (reusable) this.idle.push(env);
  }

  private claim(env: ExecutionEnvironment): ExecutionEnvironment {
    this.busy.add(env);
    return env;
  }
}
