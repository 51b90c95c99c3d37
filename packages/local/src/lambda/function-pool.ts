/**
 * The execution environments of one function: a small warm pool capped at the function's
 * concurrency. An invocation takes an idle environment that is still alive, or cold-starts a new
 * one while under the cap; past it a synchronous invoke is refused (`ThrottledError` → 429), as
 * Lambda refuses rather than queues — a queued request would run after its caller gave up.
 * Asynchronous (`Event`) invocations wait for a free environment instead, as Lambda's own queue
 * does. Recycling (after a code change) retires every environment so the next invocation
 * cold-starts the new code.
 */

import {
  ExecutionEnvironment,
  type InvocationOutcome,
  type InvocationRequest,
  type LogSink,
} from './execution-environment';
import type { LocalFunctionDefinition } from './function-definition';
import { ThrottledError } from './function-errors';

const DEFAULT_MAX_WORKERS = 4;
/** A dead environment found only when the event is handed over gets this many fresh tries. */
const REDELIVERIES = 2;

export type PoolOutcome = Exclude<InvocationOutcome, { kind: 'not-delivered' }>;

export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private readonly waiting: Array<{ resolve: (env: ExecutionEnvironment) => void; reject: (error: Error) => void }> =
    [];
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

  private get capacity(): number {
    return this.definition.maxWorkers ?? DEFAULT_MAX_WORKERS;
  }

  /**
   * Runs one invocation. `queue` (asynchronous invocations) waits for a free environment; without
   * it a full pool throws `ThrottledError`.
   */
  async invoke(request: InvocationRequest, options: { queue?: boolean } = {}): Promise<PoolOutcome> {
    if (this.closed) throw new Error(`function ${this.definition.name} is shut down`);
    let env = await this.acquire(options.queue ?? false);
    for (let attempt = 0; ; attempt++) {
      let outcome: InvocationOutcome;
      try {
        outcome = await env.invoke(request);
      } finally {
        this.release(env);
      }
      if (outcome.kind !== 'not-delivered') return outcome;
      // The environment died before its runtime took the event, so the code never ran: a fresh
      // environment runs it once. The slot was just freed, so this cold start is within the cap.
      if (attempt >= REDELIVERIES || this.closed)
        throw new Error(`function ${this.definition.name}: no environment stayed up`);
      env = await this.acquire(true);
    }
  }

  /** Retires every environment: idle ones now, busy ones when their invocation ends. */
  recycle(): void {
    this.generation++;
    for (const env of this.idle.splice(0)) env.kill();
  }

  /**
   * Replaced by a new definition: invocations already here (running or queued) finish on this
   * pool, as on AWS during a configuration update; then its environments end. Nothing new comes in.
   */
  retire(): void {
    this.retiring = true;
    this.recycle();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0))
      waiter.reject(new Error(`function ${this.definition.name} is shut down`));
    const all = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(all.map((e) => e.stop()));
  }

  private acquire(queue: boolean): Promise<ExecutionEnvironment> {
    for (let warm = this.idle.pop(); warm; warm = this.idle.pop()) {
      // Crashed after answering, or killed from outside while idle: never hand it an event.
      if (!warm.alive) {
        warm.kill();
        continue;
      }
      this.busy.add(warm);
      return Promise.resolve(warm);
    }
    if (this.busy.size < this.capacity) return Promise.resolve(this.coldStart());
    if (!queue) {
      return Promise.reject(
        new ThrottledError(
          `function ${this.definition.name} is running ${this.busy.size} of ${this.capacity} invocations`,
        ),
      );
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
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
    if (this.retiring && this.waiting.length === 0) {
      env.kill();
      return;
    }
    const reusable = !env.dead && env.generation === this.generation;
    if (!reusable) env.kill();
    const next = this.waiting.shift();
    if (next) {
      if (reusable) {
        this.busy.add(env);
        next.resolve(env);
      } else {
        next.resolve(this.coldStart());
      }
      return;
    }
    if (reusable) this.idle.push(env);
  }
}
