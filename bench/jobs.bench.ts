/**
 * Job routes' figures on the local stack (docs/JOBS.md), one request at a time through the whole
 * stack with the Python example: a submit (`POST /digests`, 202) beside a normal route of the same
 * example (`POST /completions`, 200); submit → core running (the job's `startedAt − submittedAt`,
 * both written by the stack's own clock); and a poll (`GET /jobs/{jobId}`).
 * Targets (issue 18): submit → running p50 ≤ 50 ms; submit p99 ≤ 2× the normal route's; poll p50 ≤
 * the normal route's.
 *
 * Run: npm run bench -- jobs [--requests=300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobView } from '@gatehouse/contract';
import { signIn, startStack } from '@gatehouse/local';

const CONFIG = fileURLToPath(new URL('../examples/python/gatehouse.config.ts', import.meta.url));
const REQUESTS = Number(process.argv.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 300);
const WARM_UP = 30;
const BODY = { prompt: 'The quick brown fox jumps over the lazy dog.', temperature: 0, maxTokens: 4 };

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-jobs-'));
const stack = await startStack({ config: CONFIG, stateDir });
try {
  const { cognito, demoUser, apiUrl } = stack.config;
  const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);
  const headers = { authorization: IdToken, 'content-type': 'application/json' };
  const post = (route: string, body: unknown) =>
    fetch(`${apiUrl}${route}`, { method: 'POST', headers, body: JSON.stringify(body) });

  const normal: number[] = [];
  const submits: number[] = [];
  const polls: number[] = [];
  const toRunning: number[] = [];
  const locations: string[] = [];
  for (let i = 0; i < WARM_UP + REQUESTS; i++) {
    const measured = i >= WARM_UP;
    let started = performance.now();
    const answer = await post('/completions', BODY);
    await answer.arrayBuffer();
    if (measured) normal.push(performance.now() - started);

    started = performance.now();
    const submitted = await post('/digests', { ...BODY, seconds: 0 });
    await submitted.arrayBuffer();
    if (submitted.status !== 202) throw new Error(`submit answered ${submitted.status}`);
    if (measured) submits.push(performance.now() - started);
    locations.push(new URL(submitted.headers.get('location') ?? '', apiUrl).href);
  }
  for (const [i, location] of locations.entries()) {
    const started = performance.now();
    const read = await fetch(location, { headers: { authorization: IdToken } });
    const view = (await read.json()) as JobView;
    if (i >= WARM_UP) {
      polls.push(performance.now() - started);
      if (view.startedAt) toRunning.push(Date.parse(view.startedAt) - Date.parse(view.submittedAt));
    }
  }
  report('normal route (POST /completions)', normal);
  report('job submit (POST /digests, 202)', submits);
  report('job poll (GET /jobs/{jobId})', polls);
  report('submit → core running (startedAt − submittedAt)', toRunning);
  console.log(
    `submit p99 / normal p99: ${(percentile(submits, 99) / percentile(normal, 99)).toFixed(2)}×; ` +
      `poll p50 / normal p50: ${(percentile(polls, 50) / percentile(normal, 50)).toFixed(2)}×`,
  );
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}

function report(label: string, samples: number[]): void {
  console.log(
    `${label}: n=${samples.length} p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms`,
  );
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
