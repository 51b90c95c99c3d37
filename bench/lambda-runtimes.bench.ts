/**
 * Warm invocations through the local Invoke API at concurrency 1: a Python core beside a Node.js
 * core doing the same work (parse and sum a 100-number JSON array), and a `provided` bootstrap
 * (a Python script speaking the Runtime API itself). Per-invocation latency is what a developer
 * feels on every request; the target is Python within 0.1 ms of Node (issue 19; 2 ms before). Also: what one Runtime API
 * server costs to start (the reason each environment gets its own), and what a Node.js environment
 * as a worker thread buys against one as a process: its cold start (the first invocation after a
 * reload, interleaved) and its memory (a process's resident set against what four threads add to
 * this one's).
 *
 * Run: npm run bench -- lambda-runtimes
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LambdaRuntime, loadLocalCredential, startLambdaService } from '@gatehouse/local';
import aws4 from 'aws4';

const fixtures = fileURLToPath(new URL('../packages/local/test/fixtures/runtimes/', import.meta.url));
const WARM_UP = 100;
const MEASURED = 1_000;
const ROUNDS = 3;
const EVENT = JSON.stringify({ action: 'ok', n: 100 });

const runsDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-runs-'));
const COLD_STARTS = 15;
const THREADS_FOR_MEMORY = 4;
const cores: Array<{
  name: string;
  runtime: LambdaRuntime;
  dir: string;
  handler: string;
  isolation?: 'process' | 'thread';
}> = [
  { name: 'node', runtime: 'nodejs22.x', dir: 'node', handler: 'index.handler' },
  { name: 'node-thread', runtime: 'nodejs22.x', dir: 'node', handler: 'index.handler', isolation: 'thread' },
  { name: 'python', runtime: 'python3.12', dir: 'python', handler: 'handler.handler' },
  { name: 'provided', runtime: 'provided.al2023', dir: 'provided', handler: 'function.handler' },
];
const credential = loadLocalCredential(runsDir);
const service = await startLambdaService({
  port: 0,
  credential,
  reloadOnChange: false,
  functions: [
    ...cores,
    ...Array.from({ length: THREADS_FOR_MEMORY }, (_, i) => ({
      name: `node-thread-memory-${i}`,
      runtime: 'nodejs22.x' as const,
      dir: 'node',
      handler: 'index.handler',
      isolation: 'thread' as const,
    })),
  ].map((c) => ({
    name: c.name,
    runtime: c.runtime,
    codeDir: path.join(fixtures, c.dir),
    handler: c.handler,
    timeoutSeconds: 10,
    memoryMb: 512,
    maxWorkers: 1,
    environment: { RUNS_DIR: runsDir },
    ...(c.isolation ? { isolation: c.isolation } : {}),
  })),
});
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

try {
  const results = new Map<string, number[]>();
  // Rounds interleave the runtimes so a busy neighbour on the machine weighs on each alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const core of cores) {
      for (let i = 0; i < WARM_UP; i++) await invoke(core.name);
      const times: number[] = [];
      for (let i = 0; i < MEASURED; i++) {
        const started = performance.now();
        await invoke(core.name);
        times.push(performance.now() - started);
      }
      results.set(core.name, [...(results.get(core.name) ?? []), ...times]);
    }
  }
  const p50 = new Map<string, number>();
  for (const [name, times] of results) {
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    p50.set(name, median);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(
      `${name.padEnd(8)} warm invoke, concurrency 1: p50 ${median.toFixed(2)} ms, mean ${mean.toFixed(2)} ms, p99 ${(times[Math.floor(times.length * 0.99)] ?? 0).toFixed(2)} ms (${times.length} invocations)`,
    );
  }
  const gap = (p50.get('python') ?? 0) - (p50.get('node') ?? 0);
  console.log(`python − node (p50): ${gap.toFixed(2)} ms (target: within 0.1 ms)`);
  console.log(`Runtime API server start (listen on a free port): ${(await serverStartMs()).toFixed(3)} ms`);

  // Cold starts, the two isolations interleaved: each reload retires the environment.
  const cold = new Map<string, number[]>([
    ['node', []],
    ['node-thread', []],
  ]);
  for (let i = 0; i < COLD_STARTS; i++) {
    for (const [name, times] of cold) {
      service.reload(name);
      const started = performance.now();
      await invoke(name);
      times.push(performance.now() - started);
    }
  }
  for (const [name, times] of cold) {
    times.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(11)} cold start (first invocation after a reload): median ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(1)} ms, min ${(times[0] ?? 0).toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms (${times.length})`,
    );
  }
  const processRss = residentMib(service.pool('node')?.pids[0]);
  const before = process.memoryUsage().rss;
  for (let i = 0; i < THREADS_FOR_MEMORY; i++) await invoke(`node-thread-memory-${i}`);
  const perThread = (process.memoryUsage().rss - before) / THREADS_FOR_MEMORY / 2 ** 20;
  console.log(
    `memory per warm Node environment: a process ${processRss.toFixed(1)} MiB resident; a thread adds ${perThread.toFixed(1)} MiB to the service's process (${THREADS_FOR_MEMORY} started)`,
  );
} finally {
  agent.destroy();
  await service.close();
  rmSync(runsDir, { recursive: true, force: true });
}

function invoke(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Signed as the edge signs: the Invoke API admits only the local credential.
    const path = `/2015-03-31/functions/${name}/invocations`;
    const signed = aws4.sign(
      {
        service: 'lambda',
        region: 'us-east-1',
        method: 'POST',
        host: new URL(service.url).host,
        path,
        body: EVENT,
        headers: { 'content-type': 'application/json' },
      },
      credential,
    );
    const req = request(
      `${service.url}${path}`,
      { method: 'POST', agent, headers: signed.headers as Record<string, string> },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || res.headers['x-amz-function-error']) reject(new Error(`${name}: ${body}`));
          else resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(EVENT);
  });
}

/** A process's resident set from `/proc` (Linux), in MiB. */
function residentMib(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Median time to create a `node:http` server and listen on a free loopback port, over 200 servers. */
async function serverStartMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    times.push(performance.now() - started);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  times.sort((a, b) => a - b);
  return times[100] ?? 0;
}
