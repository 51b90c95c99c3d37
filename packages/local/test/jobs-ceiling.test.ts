/**
 * The reason job routes exist, at full size: a core that takes 35 s gets 504 on a normal route —
 * the API waits 30 s at most, and the edge's deadline is set as high as a project may set it
 * (`deadlines.coreTimeoutMs` ≤ 29 s) — and the same core, as a job, succeeds. The only job test that waits past 30 s; the others use the same
 * mechanism at smaller figures (jobs-stack.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobView } from '@gatehouse/contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningStack, signIn, startStack } from '../src';

const CONFIG = fileURLToPath(new URL('./fixtures/jobs-project/gatehouse.config.ts', import.meta.url));
const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-jobs-ceiling-'));
const CORE_SECONDS = 35;

let stack: RunningStack;
let idToken: string;

beforeAll(async () => {
  stack = await startStack({ config: CONFIG, stateDir, edgeEnvironment: { CORE_TIMEOUT_MS: '29000' } });
  const { cognito, demoUser } = stack.config;
  idToken = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const post = (route: string) =>
  fetch(`${stack.config.apiUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: idToken },
    body: JSON.stringify({ seconds: CORE_SECONDS, label: 'past the ceiling' }),
  });

it(`runs a ${CORE_SECONDS} s core as a job, where the same core on a normal route gets 504`, async () => {
  const [normal, submitted] = await Promise.all([post('/work-now'), post('/work')]);
  expect(submitted.status).toBe(202);
  expect(normal.status).toBe(504);

  const location = new URL(submitted.headers.get('location') ?? '', stack.config.apiUrl);
  let view: JobView | undefined;
  for (let attempt = 0; attempt < 60 && view?.status !== 'succeeded' && view?.status !== 'failed'; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
    view = (await (await fetch(location, { headers: { authorization: idToken } })).json()) as JobView;
  }
  expect(view).toMatchObject({ status: 'succeeded', result: { label: 'past the ceiling', enriched: true } });
  const ranMs = Date.parse(view?.finishedAt ?? '') - Date.parse(view?.startedAt ?? '');
  expect(ranMs).toBeGreaterThanOrEqual(CORE_SECONDS * 1000);
}, 90_000);
