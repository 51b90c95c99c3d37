/**
 * Where the local stack's CPU goes: CPU time per request in the stack's own process (gateway,
 * Lambda service, and this load generator) and in the Lambda worker processes, read from
 * `process.cpuUsage()` and `/proc/<pid>/stat` over a bounded load at concurrency 32. The figures
 * explain the end-to-end throughput in `local.bench.ts` (docs/PERFORMANCE.md).
 *
 * With `--node-threads` the Node.js functions run as worker threads (`nodeIsolation: 'thread'`):
 * their CPU is then the stack process's own (`process.cpuUsage()` counts every thread of it).
 *
 * Run: npm run bench -- local-cpu [--node-threads]   (Linux only: it reads /proc)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signIn, startStack } from '@gatehouse/local';
import { SAMPLE_CONFIG } from '../scripts/bundle-lambda';

const CONCURRENCY = 32;
const WARM_UP = 500;
const MEASURED = 3_000;
/** Linux reports process CPU in clock ticks of 10 ms (USER_HZ 100). */
const MS_PER_TICK = 10;
const BODY = JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' });

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-cpu-'));
const threads = process.argv.includes('--node-threads');
const stack = await startStack({ config: SAMPLE_CONFIG, stateDir, ...(threads ? { nodeIsolation: 'thread' } : {}) });
try {
  const { cognito, demoUser, apiUrl } = stack.config;
  const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = () =>
    new Promise<number>((resolve) => {
      const req = request(
        `${apiUrl}/inference`,
        { method: 'POST', agent, headers: { authorization: IdToken, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(BODY);
    });
  const load = async (count: number) => {
    let next = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          next++;
          if ((await post()) !== 200) errors++;
        }
      }),
    );
    return errors;
  };

  await load(WARM_UP);
  // The identity emulator is among these; it does no work during the load.
  const workers = stack.pids();
  const before = new Map(workers.map((pid) => [pid, ticks(pid)]));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const errors = await load(MEASURED);
  const seconds = (performance.now() - started) / 1000;
  const main = process.cpuUsage(cpuBefore);
  let workerTicks = 0;
  for (const pid of workers) workerTicks += ticks(pid) - (before.get(pid) ?? 0);
  agent.destroy();

  const mainMs = (main.user + main.system) / 1000 / MEASURED;
  const workerMs = (workerTicks * MS_PER_TICK) / MEASURED;
  console.log(
    `${MEASURED} requests at concurrency ${CONCURRENCY}${threads ? ', Node functions as threads' : ''}: ${(MEASURED / seconds).toFixed(0)} req/s, ${errors} errors`,
  );
  console.log(
    `CPU per request: stack process${threads ? ' (its Lambda threads included)' : ''} ${mainMs.toFixed(2)} ms, Lambda worker processes ${workerMs.toFixed(2)} ms, total ${(mainMs + workerMs).toFixed(2)} ms`,
  );
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}

function ticks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
