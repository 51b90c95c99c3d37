/**
 * A config edited while the stack runs in watch mode: an edit that does not check out is reported
 * and never served (the last good edge keeps answering, never a bare 500), an edit to what the
 * stack is built from (a route renamed) is handed to the caller to restart with, and a schema edit
 * reloads the edge alone.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProjectChange, type RunningStack, signIn, startStack } from '../src';

// Inside the package, so the config's imports resolve as in a project.
const dir = mkdtempSync(path.join(fileURLToPath(new URL('.', import.meta.url)), '.project-'));
const configFile = path.join(dir, 'gatehouse.config.ts');
const stateDir = path.join(dir, '.gatehouse');

const config = (route: string, runtime: string, maxLength: number) => `
import { defineConfig } from '@gatehouse/contract';
import * as z from 'zod/mini';

export default defineConfig({
  name: 'edits',
  routes: {
    '${route}': { core: 'echo', schema: z.object({ name: z.string().check(z.maxLength(${maxLength})) }) },
  },
  cores: { echo: { runtime: '${runtime}', code: './core', handler: 'handler.handler' } },
});
`;

let stack: RunningStack;
let token: string;
const configLines: string[] = [];
const changes: ProjectChange[] = [];

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; config log: ${configLines.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function call(name: string) {
  return fetch(`${stack.config.apiUrl}/hello`, {
    method: 'POST',
    headers: { authorization: token, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
}

beforeAll(async () => {
  mkdirSync(path.join(dir, 'core'));
  writeFileSync(
    path.join(dir, 'core', 'handler.mjs'),
    'export const handler = async (event) => ({ hello: event.input.name });\n',
  );
  writeFileSync(configFile, config('POST /hello', 'nodejs22.x', 10));
  stack = await startStack({
    config: configFile,
    stateDir,
    watch: true,
    onLog: (source, line) => {
      if (source === 'config') configLines.push(line);
    },
    onProjectChange: (_next, change) => changes.push(change),
  });
  const { cognito, demoUser } = stack.config;
  token = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a config edited while the stack runs', () => {
  it('reloads the edge alone for a schema edit: the new limit answers at once', async () => {
    // Act
    writeFileSync(configFile, config('POST /hello', 'nodejs22.x', 3));
    await waitFor(() => configLines.some((l) => l.includes('edge reloaded')), 'the edge reload');

    // Assess: the new schema refuses what the old one admitted
    let status = 0;
    for (let i = 0; i < 40 && status !== 422; i++) {
      status = (await call('four')).status;
      if (status !== 422) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(422);
    expect(changes).toEqual([]);
  });

  it('never serves a config that does not check out: the problem is printed, the last good edge answers', async () => {
    // Act
    const before = configLines.length;
    writeFileSync(configFile, config('POST /hello', 'python3.9', 3));
    await waitFor(() => configLines.length > before, 'the config problem');

    // Assess
    const reported = configLines.slice(before).join('\n');
    expect(reported).toContain('the last good one still is');
    expect(reported).toContain('cores.echo.runtime');
    const response = await call('abc');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: 'abc' });
  });

  it('hands a renamed route to the caller as a change to restart with, saying what changed', async () => {
    // Act
    writeFileSync(configFile, config('POST /greet', 'nodejs22.x', 3));
    await waitFor(() => changes.length > 0, 'the change');

    // Assess
    expect(changes[0]).toEqual({ edgeOnly: false, summary: 'routes +POST /greet -POST /hello' });
    expect(readFileSync(configFile, 'utf8')).toContain('POST /greet');
  });
});
