/**
 * Where the local stack's CPU goes: CPU time per request in the stack's own process (gateway and
 * Lambda service), in its execution environments (the edge's and the core's processes), and in
 * this load generator, from `/proc` over a bounded load at concurrency 32 and 1. The stack runs in
 * a process of its own (bench/local/stack-server.ts), so the three are apart. The figures explain
 * the end-to-end throughput in `local.bench.ts` and `offline.bench.ts` (docs/PERFORMANCE.md).
 *
 * With `--node-threads` the stack runs its Node.js functions as worker threads
 * (`nodeIsolation: 'thread'`): their CPU is then the stack process's own.
 *
 * Run: npm run bench -- local-cpu [--requests=3000] [--node-threads]   (Linux only: it reads /proc)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signIn } from '@gatehouse/local';
import { processCpuMs, startStackProcess, treeCpuMs } from './local/stack-process';

const WARM_UP = 500;
const given = process.argv.find((a) => a.startsWith('--requests='));
const MEASURED = given ? Number(given.slice('--requests='.length)) : 3_000;
if (!Number.isInteger(MEASURED) || MEASURED < 1)
  throw new Error(`--requests must be a whole number ≥ 1 (got ${given})`);
const BODY = JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' });

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-cpu-'));
const nodeThreads = process.argv.includes('--node-threads');
const stack = await startStackProcess(stateDir, { nodeThreads });
try {
  const { cognito, demoUser, apiUrl } = stack;
  const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
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
  const load = async (count: number, concurrency: number) => {
    let next = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next++;
          if ((await post()) !== 200) errors++;
        }
      }),
    );
    return errors;
  };

  await load(WARM_UP, 32);
  for (const concurrency of [32, 1]) {
    const stackBefore = processCpuMs(stack.pid);
    const treeBefore = treeCpuMs(stack.pid);
    const generatorBefore = process.cpuUsage();
    const started = performance.now();
    const errors = await load(MEASURED, concurrency);
    const seconds = (performance.now() - started) / 1000;
    const generator = process.cpuUsage(generatorBefore);
    const stackMs = (processCpuMs(stack.pid) - stackBefore) / MEASURED;
    const environmentsMs = (treeCpuMs(stack.pid) - treeBefore) / MEASURED - stackMs;
    const generatorMs = (generator.user + generator.system) / 1000 / MEASURED;
    console.log(
      `${MEASURED} requests at concurrency ${concurrency}${nodeThreads ? ', Node functions as threads' : ''}: ${(MEASURED / seconds).toFixed(0)} req/s, ${errors} errors`,
    );
    console.log(
      `  CPU per request: stack process${nodeThreads ? ' (its Node environments included)' : ''} ${stackMs.toFixed(2)} ms, execution environment processes ${environmentsMs.toFixed(2)} ms, ` +
        `stack total ${(stackMs + environmentsMs).toFixed(2)} ms; load generator ${generatorMs.toFixed(2)} ms`,
    );
  }
  agent.destroy();
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
