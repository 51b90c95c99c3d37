/**
 * Which pages may use the local stack: its own web app's origins, the loopback origins among the
 * config's `origins` (the developer's own app on its own port), and those given with `--origin`
 * — at the identity service and at the gateway alike, and in the edge's environment. A remote
 * origin from the deployed list, or any other page, is refused, and the dev log says so once per
 * origin with the fix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProjectConfig } from '@gatehouse/bundler';
import { readEdgeEnvironment } from '@gatehouse/contract';
import { SAMPLE_CONFIG } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, signIn, startStack } from '../src';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-origins-'));
const CONFIG_LOOPBACK = 'http://localhost:5999';
const CONFIG_REMOTE = 'https://app.example.com';
const GIVEN = 'http://127.0.0.1:6001';
const FOREIGN = 'http://localhost:6666';

let stack: RunningStack;
const originLines: string[] = [];

beforeAll(async () => {
  const loaded = await loadProjectConfig(SAMPLE_CONFIG);
  stack = await startStack({
    config: { ...loaded, resolved: { ...loaded.resolved, origins: [CONFIG_REMOTE, CONFIG_LOOPBACK] } },
    stateDir,
    origins: [GIVEN],
    onLog: (source, line) => {
      if (source === 'origin') originLines.push(line);
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function identityPreflight(origin: string) {
  return fetch(stack.config.cognito.endpoint, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

function gatewayPreflight(origin: string) {
  return fetch(`${stack.config.apiUrl}/inference`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
  });
}

describe('local origins', () => {
  it.each([CONFIG_LOOPBACK, GIVEN])('admits %s at the identity service and the gateway', async (origin) => {
    // Act
    const identity = await identityPreflight(origin);
    const gateway = await gatewayPreflight(origin);

    // Assess
    expect(identity.status).toBe(204);
    expect(identity.headers.get('access-control-allow-origin')).toBe(origin);
    expect(gateway.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('lets a page on a listed loopback origin sign in and call the API', async () => {
    // Prepare
    const { cognito, demoUser } = stack.config;
    const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);

    // Act
    const response = await fetch(`${stack.config.apiUrl}/inference`, {
      method: 'POST',
      headers: { origin: CONFIG_LOOPBACK, authorization: IdToken, 'content-type': 'application/json' },
      body: JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' }),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONFIG_LOOPBACK);
  });

  it.each([CONFIG_REMOTE, FOREIGN])('refuses %s locally (never a remote or unlisted page)', async (origin) => {
    // Act
    const identity = await identityPreflight(origin);
    const gateway = await gatewayPreflight(origin);

    // Assess
    expect(identity.status).toBe(403);
    expect(identity.headers.get('access-control-allow-origin')).toBeNull();
    expect(gateway.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says once per refused origin which origins are admitted and how to add one', async () => {
    // Act: more requests from an origin already refused
    for (let i = 0; i < 3; i++) await identityPreflight(FOREIGN);

    // Assess
    const foreign = originLines.filter((line) => line.includes(FOREIGN));
    expect(foreign).toHaveLength(1);
    expect(foreign[0]).toContain(CONFIG_LOOPBACK);
    expect(foreign[0]).toContain('--origin');
  });

  it('names every admitted origin in local.json, and gives the edge the deployed ones too', () => {
    // Act
    const edge = stack.lambda.pool(stack.functionNames.edge);
    const settings = readEdgeEnvironment(edge?.definition.environment ?? {});

    // Assess
    expect(stack.config.allowedOrigins).toEqual(expect.arrayContaining([CONFIG_LOOPBACK, GIVEN]));
    expect(stack.config.allowedOrigins).not.toContain(CONFIG_REMOTE);
    expect(settings.allowedOrigins).toEqual(expect.arrayContaining([CONFIG_LOOPBACK, GIVEN, CONFIG_REMOTE]));
    expect(settings.coreTimeoutMs).toBe(stack.project.resolved.coreTimeoutMs);
  });

  it('refuses an --origin that is not an exact origin before anything starts', async () => {
    await expect(
      startStack({ config: SAMPLE_CONFIG, stateDir: path.join(stateDir, 'other'), origins: ['http://*'] }),
    ).rejects.toThrow(/--origin http:\/\/\*: give an exact origin/);
  });
});
