/**
 * `gatehouse dev` with a config edited while it runs: a route renamed restarts the stack with one
 * line saying what changed, and the new route answers through the restarted stack; a broken edit
 * prints the problem and the running stack keeps answering.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn } from '@gatehouse/local';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/cli-io';
import { devCommand } from '../src/cli/dev-command';

// Inside the package, so the config's imports resolve as in a project.
const dir = mkdtempSync(path.join(fileURLToPath(new URL('.', import.meta.url)), '.restart-project-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configFile = path.join(dir, 'gatehouse.config.ts');
const stateDir = path.join(dir, '.gatehouse');
const config = (route: string, runtime = 'nodejs22.x') => `
import { defineConfig } from '@gatehouse/contract';
import * as z from 'zod/mini';

export default defineConfig({
  name: 'restarts',
  routes: { '${route}': { core: 'echo', schema: z.object({}) } },
  cores: { echo: { runtime: '${runtime}', code: './core', handler: 'handler.handler' } },
});
`;

async function call(route: string): Promise<number> {
  const local = JSON.parse(readFileSync(path.join(stateDir, 'local.json'), 'utf8'));
  const { IdToken } = await signIn(
    local.cognito.endpoint,
    local.cognito.clientId,
    local.demoUser.username,
    local.demoUser.password,
  );
  const response = await fetch(`${local.apiUrl}${route}`, {
    method: 'POST',
    headers: { authorization: IdToken, 'content-type': 'application/json' },
    body: '{}',
  });
  return response.status;
}

describe('gatehouse dev and a config edit', () => {
  it('restarts with a renamed route, saying what changed, and keeps serving through a broken edit', async () => {
    // Prepare
    mkdirSync(path.join(dir, 'core'));
    writeFileSync(path.join(dir, 'core', 'handler.mjs'), 'export const handler = async () => ({ ok: true });\n');
    writeFileSync(configFile, config('POST /hello'));
    const stdout: string[] = [];
    const io: CliIo = { out: (t) => stdout.push(t), err: (t) => stdout.push(t), env: { NO_COLOR: '1' }, isTTY: false };
    const signals = new EventEmitter();
    const ports = ['--port', '0', '--identity-port', '0', '--lambda-port', '0', '--no-web'];
    const running = devCommand(['--config', configFile, ...ports, '--state-dir', stateDir], io, signals);
    const readyCount = () => stdout.filter((line) => line.includes('ready in')).length;
    await expect.poll(readyCount, { timeout: 30_000, interval: 50 }).toBe(1);

    try {
      // Act: a broken edit, then a rename
      writeFileSync(configFile, config('POST /hello', 'python3.9'));
      await expect
        .poll(() => stdout.join('\n'), { timeout: 15_000, interval: 50 })
        .toContain('the last good one still is');
      const duringBrokenEdit = await call('/hello');
      writeFileSync(configFile, config('POST /greet'));
      await expect.poll(readyCount, { timeout: 30_000, interval: 50 }).toBe(2);

      // Assess
      expect(duringBrokenEdit).toBe(200);
      expect(stdout.join('\n')).toContain('changed (routes +POST /greet -POST /hello): restarting the local stack');
      expect(await call('/greet')).toBe(200);
      expect(await call('/hello')).toBe(404);
    } finally {
      signals.emit('SIGTERM', 'SIGTERM');
      expect(await running).toBe(0);
    }
    expect(stdout.at(-1)).toBe('stopped.');
  }, 90_000);
});
