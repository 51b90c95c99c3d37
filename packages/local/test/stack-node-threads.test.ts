/**
 * The sample stack with `nodeIsolation: 'thread'` (`gatehouse dev --node-threads`): a signed-in
 * request still crosses gateway, authorizer, edge and core and answers 200, with the edge and the
 * Node core running as worker threads of the stack's process — and none left when it stops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type InferenceAnswer, SAMPLE_CONFIG } from '@gatehouse/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningStack, signIn, startStack } from '../src';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-stack-threads-'));
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ config: SAMPLE_CONFIG, stateDir, nodeIsolation: 'thread' });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

it('answers a signed-in request with 200 through gateway, edge and core, each Node function a thread', async () => {
  // Arrange
  const { cognito, demoUser } = stack.config;
  const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);

  // Act
  const response = await fetch(`${stack.config.apiUrl}/inference`, {
    method: 'POST',
    headers: { authorization: IdToken, 'content-type': 'application/json', origin: stack.config.webUrl },
    body: JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' }),
  });

  // Assess
  expect(response.status).toBe(200);
  expect(((await response.json()) as InferenceAnswer).answer).toMatch(/Acme Corp had revenue of \$[\d,]+ in 2024 Q3/);
  const pools = [stack.functionNames.edge, ...stack.functionNames.cores.values()].map((name) =>
    stack.lambda.pool(name),
  );
  for (const pool of pools) {
    expect(pool?.definition.isolation).toBe('thread');
    expect(pool?.threadIds.length).toBeGreaterThan(0);
    expect(pool?.pids).toEqual([]);
  }
});

it('ends every thread when it stops', async () => {
  // Prepare
  const pools = stack.lambda.pools();
  expect(pools.flatMap((pool) => pool.threadIds).length).toBeGreaterThan(0);

  // Act
  await stack.stop();

  // Assess
  expect(pools.flatMap((pool) => pool.threadIds)).toEqual([]);
});
