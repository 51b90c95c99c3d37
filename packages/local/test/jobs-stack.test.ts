/**
 * Job routes through the whole local stack: gateway → edge → DynamoDB (dynalite) → runner invoked
 * with `InvocationType: Event` → core, and the owner polling `GET /jobs/{jobId}`. The normal route's
 * deadline is shortened through the edge's `CORE_TIMEOUT_MS` (the real mechanism, at a smaller
 * figure), so a core slower than it fails there and succeeds as a job without a 30 s wait.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobView } from '@gatehouse/contract';
import { mintEmulatorToken } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, signIn, startStack } from '../src';

const CONFIG = fileURLToPath(new URL('./fixtures/jobs-project/gatehouse.config.ts', import.meta.url));
const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-jobs-'));
/** The normal route's deadline here; the jobs' cores run longer than this. */
const NORMAL_ROUTE_TIMEOUT_MS = 1_000;
const jobLines: string[] = [];

let stack: RunningStack;
let idToken: string;

async function start(): Promise<RunningStack> {
  return startStack({
    config: CONFIG,
    stateDir,
    edgeEnvironment: { CORE_TIMEOUT_MS: String(NORMAL_ROUTE_TIMEOUT_MS) },
    onLog: (source, line) => {
      if (source === 'jobs') jobLines.push(line);
    },
  });
}

beforeAll(async () => {
  stack = await start();
  const { cognito, demoUser } = stack.config;
  idToken = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function post(route: string, body: unknown, headers: Record<string, string> = {}, token = idToken) {
  return fetch(`${stack.config.apiUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token, ...headers },
    body: JSON.stringify(body),
  });
}

function read(location: string, token = idToken) {
  const url = new URL(stack.config.apiUrl);
  return fetch(`${url.origin}${location}`, { headers: { authorization: token } });
}

/** Polls until the job has finished; bounded in count and time. */
async function finished(location: string, timeoutMs = 30_000): Promise<JobView> {
  const endsAt = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 600 && Date.now() < endsAt; attempt++) {
    const view = (await (await read(location)).json()) as JobView;
    if (view.status === 'succeeded' || view.status === 'failed') return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job at ${location} did not finish in ${timeoutMs} ms`);
}

async function submit(route: string, body: unknown, headers?: Record<string, string>) {
  const res = await post(route, body, headers);
  expect(res.status).toBe(202);
  const location = res.headers.get('location') ?? '';
  return { res, location, body: (await res.json()) as { jobId: string; status: string } };
}

describe('a job route', () => {
  it('answers 202 with the job, its URL and Retry-After, and the owner polls it to the enriched result', async () => {
    const { res, location, body } = await submit('/work', { seconds: 0.2, label: 'first' });
    expect(body).toEqual({ jobId: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'queued' });
    expect(location).toBe(`/prod/jobs/${body.jobId}`);
    expect(res.headers.get('retry-after')).toBe('1');

    const view = await finished(location);
    expect(view).toMatchObject({ jobId: body.jobId, route: 'POST /work', status: 'succeeded' });
    expect(view.result).toEqual({ label: 'first', sub: expect.any(String), enriched: true });
    expect(Date.parse(view.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(view.startedAt ?? ''));
    expect(jobLines.some((line) => line.startsWith(body.jobId) && line.includes('succeeded'))).toBe(true);
  });

  it('passes the input alone to the core with payload "input"', async () => {
    const { location } = await submit('/work-input', { seconds: 0, label: 'bare' });
    expect((await finished(location)).result).toEqual({ label: 'bare', sub: null, enriched: false });
  });

  it('runs a core past the normal route deadline that the same core misses on a normal route', async () => {
    const slow = { seconds: 2.5, label: 'slow' };
    const normal = await post('/work-now', slow);
    expect(normal.status).toBe(504);
    expect(await normal.json()).toMatchObject({ code: 'core_timeout' });

    const { location } = await submit('/work', slow);
    const view = await finished(location);
    expect(view.status).toBe('succeeded');
    expect(view.result).toMatchObject({ label: 'slow' });
  });

  it('refuses an invalid body with 422 before any job exists', async () => {
    const res = await post('/work', { seconds: 'soon' });
    expect(res.status).toBe(422);
    expect(res.headers.get('location')).toBeNull();
  });

  it('maps a core error to the problem a normal route answers', async () => {
    const { location } = await submit('/work', { seconds: 0, fail: 'NotFoundError', label: 'ghost' });
    const view = await finished(location);
    expect(view.status).toBe('failed');
    expect(view.problem).toMatchObject({ code: 'core_not_found', status: 404, detail: 'nothing called ghost' });
  });

  it('fails a job whose result is too large to keep with result_too_large', async () => {
    const { location } = await submit('/work', { seconds: 0, resultKb: 500 });
    const view = await finished(location);
    expect(view.problem).toMatchObject({ code: 'result_too_large' });
    expect(view.result).toBeUndefined();
  });

  it('returns the same job for a repeated Idempotency-Key, and 422 for the key on another request', async () => {
    const key = `key-${Date.now()}`;
    const first = await submit('/work', { seconds: 0, label: 'once' }, { 'idempotency-key': key });
    const again = await submit('/work', { seconds: 0, label: 'once' }, { 'idempotency-key': key });
    expect(again.body.jobId).toBe(first.body.jobId);
    const other = await post('/work', { seconds: 0, label: 'twice' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it("answers another user's poll, and a made-up id, with 404", async () => {
    const { location } = await submit('/work', { seconds: 0 });
    await finished(location);
    const stranger = await mintEmulatorToken(stack.config.cognito, { sub: 'a-stranger' }, { stateDir });
    const theirs = await read(location, stranger);
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toMatchObject({ code: 'job_not_found' });
    const madeUp = await read(`/prod/jobs/${'0'.repeat(32)}`);
    expect(madeUp.status).toBe(404);
  });
});

describe('a restart', () => {
  it('marks a job that was running when the stack stopped failed with interrupted', async () => {
    const { location } = await submit('/work', { seconds: 30, label: 'cut short' });
    const endsAt = Date.now() + 10_000;
    let status = 'queued';
    for (let attempt = 0; attempt < 200 && status !== 'running' && Date.now() < endsAt; attempt++) {
      status = ((await (await read(location)).json()) as JobView).status;
      if (status !== 'running') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('running');
    await stack.stop();
    stack = await start();
    const { cognito, demoUser } = stack.config;
    idToken = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;
    const view = (await (await read(location)).json()) as JobView;
    expect(view.status).toBe('failed');
    expect(view.problem).toMatchObject({ code: 'interrupted' });
  }, 60_000);
});
