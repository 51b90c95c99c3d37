/**
 * The execution environments of one function: a small warm pool with a cap. An invocation takes an
 * idle worker, or cold-starts a new one while under the cap, or waits in line — Lambda's
 * one-invocation-per-environment model on a laptop's budget. Recycling (after a bundle change)
 * retires every worker so the next invocation cold-starts the new code.
 */
import type { FunctionDefinition } from './function-definition';
import { type InvocationOutcome, type InvocationRequest, type LogSink, Worker } from './worker';

const DEFAULT_MAX_WORKERS = 4;

export class FunctionPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private readonly waiting: Array<{ resolve: (worker: Worker) => void; reject: (error: Error) => void }> = [];
  private generation = 0;
  private closed = false;
  private retiring = false;

  constructor(
    readonly definition: FunctionDefinition,
    private readonly environment: Record<string, string>,
    private readonly log: LogSink,
  ) {}

  get size(): { idle: number; busy: number; waiting: number } {
    return { idle: this.idle.length, busy: this.busy.size, waiting: this.waiting.length };
  }

  /** Process ids of every live worker (tests check that nothing outlives `close()`). */
  get pids(): number[] {
    return [...this.idle, ...this.busy].flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
  }

  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    if (this.closed) throw new Error(`function ${this.definition.name} is shut down`);
    const worker = await this.acquire();
    try {
      return await worker.invoke(request);
    } finally {
      this.release(worker);
    }
  }

  /** Retires every worker: idle ones now, busy ones when their invocation ends. */
  recycle(): void {
    this.generation++;
    for (const worker of this.idle.splice(0)) worker.kill();
  }

  /**
   * Replaced by a new definition: invocations already here (running or queued) finish on this
   * pool, as on AWS during a configuration update; then its workers end. Nothing new comes in.
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
    await Promise.all(all.map((w) => w.stop()));
  }

  private acquire(): Promise<Worker> {
    const warm = this.idle.pop();
    if (warm) {
      this.busy.add(warm);
      return Promise.resolve(warm);
    }
    if (this.busy.size < (this.definition.maxWorkers ?? DEFAULT_MAX_WORKERS)) return Promise.resolve(this.coldStart());
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private coldStart(): Worker {
    const worker = new Worker(this.definition, this.environment, this.generation, this.log);
    this.busy.add(worker);
    return worker;
  }

  private release(worker: Worker): void {
    this.busy.delete(worker);
    if (this.closed) {
      worker.kill();
      return;
    }
    if (this.retiring && this.waiting.length === 0) {
      worker.kill();
      return;
    }
    const reusable = !worker.dead && worker.generation === this.generation;
    if (!reusable) worker.kill();
    const next = this.waiting.shift();
    if (next) {
      if (reusable) {
        this.busy.add(worker);
        next.resolve(worker);
      } else {
        next.resolve(this.coldStart());
      }
      return;
    }
    if (reusable) this.idle.push(worker);
  }
}
