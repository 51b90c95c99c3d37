/**
 * `gatehouse doctor` on a job route of the real local stack: the real call's 202 is a pass, and the
 * doctor then reads the job as its owner until it finishes — succeeded, or failed with the problem
 * the runner recorded.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningStack, signIn, startStack } from '@gatehouse/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckResult, runDoctor } from '../src/doctor';
import { parseRouteUrl } from '../src/doctor/route-url';

// Inside the package, so the config's imports of '@gatehouse/contract' and 'zod' resolve as in a project.
const dir = mkdtempSync(path.join(fileURLToPath(new URL('.', import.meta.url)), '.jobs-project-'));
const stateDir = path.join(dir, '.gatehouse');
const CONFIG = `
import { defineConfig } from '@gatehouse/contract';
import { z } from 'zod';

export default defineConfig({
  routes: {
    'POST /reports': {
      core: 'reports',
      schema: z.object({ topic: z.string(), fail: z.boolean().optional() }),
      job: { timeoutSeconds: 20 },
    },
  },
  cores: { reports: { runtime: 'nodejs22.x', code: './core', handler: 'handler.handler', timeoutSeconds: 20 } },
});
`;
const CORE = `
export async function handler(event) {
  if (event.input.fail) throw new Error('the report could not be written');
  return { report: 'about ' + event.input.topic };
}
`;

let stack: RunningStack;
let idToken: string;

beforeAll(async () => {
  mkdirSync(path.join(dir, 'core'));
  writeFileSync(path.join(dir, 'core', 'handler.mjs'), CORE);
  writeFileSync(path.join(dir, 'gatehouse.config.ts'), CONFIG);
  stack = await startStack({ config: path.join(dir, 'gatehouse.config.ts'), stateDir });
  const { cognito, demoUser } = stack.config;
  idToken = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function doctor(body: unknown): Promise<CheckResult[]> {
  return runDoctor({
    route: parseRouteUrl(`${stack.config.apiUrl}/reports`),
    origin: stack.config.webUrl,
    token: idToken,
    body: { text: JSON.stringify(body), source: 'your --body' },
    expectations: { issuer: stack.config.cognito.issuer, clientIds: [stack.config.cognito.clientId], tokenUse: 'id' },
    timeoutMs: 10_000,
    jobWaitMs: 20_000,
  });
}

describe('gatehouse doctor on a job route', () => {
  it('passes the 202 and polls the job to its result', async () => {
    const results = await doctor({ topic: 'tides' });
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['preflight', 'pass'],
      ['route', 'pass'],
      ['anonymous-call', 'pass'],
      ['token', 'pass'],
      ['call', 'pass'],
      ['job', 'pass'],
    ]);
    expect(results.find((r) => r.id === 'call')?.summary).toMatch(/^202: the job route accepted job [0-9a-f]{32}/);
  });

  it('fails with the problem the runner recorded when the core fails', async () => {
    const job = (await doctor({ topic: 'tides', fail: true })).find((r) => r.id === 'job');
    expect(job).toMatchObject({ status: 'fail', summary: expect.stringMatching(/^failed with 502 core_failed/) });
  });
});
