/**
 * Load and soak of the whole local stack: N signed-in requests at concurrency C through gateway →
 * edge → Invoke API → core, with the resident memory (VmRSS from /proc/<pid>/status) of every
 * process of the stack sampled throughout — this process (gateway, Lambda service, Parameter
 * Store), the identity emulator, and each Lambda worker by function — then req/s, p50/p99, errors
 * by status, and each process's RSS drift from the first sample after warm-up to the last.
 *
 * Run: npm run bench -- soak [--requests=20000] [--concurrency=32] [--sample-ms=500]
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { startAttackStack } from '@gatehouse/testing';
import { formatCounts, intFlag } from './attack/flags';

const requests = intFlag('requests', 20_000);
const concurrency = intFlag('concurrency', 32);
const sampleMs = intFlag('sample-ms', 500);
const WARM_UP = 500;
const BODY = JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' });

interface Series {
  label: string;
  samples: number[];
}

const attack = await startAttackStack({}, { keepLogs: false });
try {
  const { stack } = attack;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = `${stack.config.apiUrl}/inference`;
  await load(agent, url, attack.idToken, WARM_UP);

  const series = new Map<number, Series>();
  const sample = () => {
    for (const [pid, label] of processes()) {
      const rss = rssKb(pid);
      if (rss === undefined) continue;
      const entry = series.get(pid) ?? { label, samples: [] };
      entry.samples.push(rss);
      series.set(pid, entry);
    }
  };
  sample();
  const sampler = setInterval(sample, sampleMs);
  const result = await load(agent, url, attack.idToken, requests);
  clearInterval(sampler);
  sample();
  agent.destroy();

  console.log(
    `soak: ${requests} requests at concurrency ${concurrency} after ${WARM_UP} warm-up: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`,
  );
  console.log(`by status: ${formatCounts(result.byStatus)}`);
  console.log('RSS per process (MiB): first → last, max, drift');
  for (const [pid, { label, samples }] of series) {
    const first = samples[0] ?? 0;
    const last = samples[samples.length - 1] ?? 0;
    console.log(
      `  ${label.padEnd(44)} pid ${String(pid).padStart(7)}: ${mib(first)} → ${mib(last)}, max ${mib(Math.max(...samples))}, drift ${last >= first ? '+' : ''}${mib(last - first)} (${samples.length} samples)`,
    );
  }

  function processes(): [number, string][] {
    const workers = stack.lambda
      .pools()
      .flatMap((pool) => pool.pids.map((pid): [number, string] => [pid, `Lambda worker ${pool.definition.name}`]));
    const workerPids = new Set(workers.map(([pid]) => pid));
    const others = stack
      .pids()
      .filter((pid) => !workerPids.has(pid))
      .map((pid): [number, string] => [pid, 'identity emulator']);
    return [[process.pid, 'bench process (gateway, Invoke API, SSM)'], ...others, ...workers];
  }
} finally {
  await attack.stop();
}

function rssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function mib(kb: number): string {
  return (kb / 1024).toFixed(1);
}

async function load(agent: Agent, url: string, token: string, count: number) {
  const latencies: number[] = [];
  const byStatus = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const begin = performance.now();
      const status = await post(agent, url, token);
      latencies.push(performance.now() - begin);
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { rps: count / seconds, p50: at(0.5), p99: at(0.99), byStatus };
}

function post(agent: Agent, url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { authorization: token, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(BODY);
  });
}
