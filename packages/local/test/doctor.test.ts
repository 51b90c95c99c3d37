/**
 * `gatehouse doctor` against the real local stack: a healthy configuration passes every check, and
 * each broken one the test sets up on purpose — an origin the API does not allow, a wrong stage or
 * route in the URL, an expired token, a token for another app client, an access token — fails the
 * check it should, with the explanation a user needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, signIn, startStack } from '../src';
import { type CheckResult, doctorCommand, runDoctor } from '../src/doctor';
import { parseRouteUrl } from '../src/doctor/route-url';
import { mintEmulatorToken } from './helpers/emulator-tokens';
import { SAMPLE_CONFIG } from './helpers/sample-project';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-doctor-'));
let stack: RunningStack;
let idToken: string;
let accessToken: string;

beforeAll(async () => {
  stack = await startStack({ config: SAMPLE_CONFIG, stateDir });
  const { cognito, demoUser } = stack.config;
  const tokens = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);
  idToken = tokens.IdToken;
  accessToken = tokens.AccessToken;
});

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const mint = (claims: JWTPayload) => mintEmulatorToken(stack.config.cognito, claims);

function doctor(options: { url?: string; origin?: string; token?: string }): Promise<CheckResult[]> {
  return runDoctor({
    route: parseRouteUrl(options.url ?? `${stack.config.apiUrl}/inference`),
    origin: options.origin,
    token: options.token,
    expectations: { issuer: stack.config.cognito.issuer, clientIds: [stack.config.cognito.clientId], tokenUse: 'id' },
    timeoutMs: 10_000,
  });
}

function find(results: CheckResult[], id: string): CheckResult {
  const result = results.find((r) => r.id === id);
  if (!result) throw new Error(`no ${id} check in ${JSON.stringify(results.map((r) => r.id))}`);
  return result;
}

describe('gatehouse doctor on a healthy local stack', () => {
  it('passes every check, ending with a real call through the edge and the core', async () => {
    // Act
    const results = await doctor({ origin: stack.config.webUrl, token: idToken });
    // Assess
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['preflight', 'pass'],
      ['route', 'pass'],
      ['anonymous-call', 'pass'],
      ['token', 'pass'],
      ['call', 'pass'],
    ]);
  });

  it('prints PASS lines and exits 0 from the command line, reading the expectations from local.json', async () => {
    // Prepare
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    // Act
    const code = await doctorCommand(
      [
        '--url',
        `${stack.config.apiUrl}/inference`,
        '--origin',
        stack.config.webUrl,
        '--token',
        idToken,
        '--state-dir',
        stateDir,
      ],
      io,
    );
    // Assess
    const output = lines.join('\n');
    expect(code).toBe(0);
    expect(output).toMatch(/PASS {2}Token .*matches the API’s issuer and client/);
    expect(output).toContain('5 passed, 0 failed');
    expect(output).not.toContain(idToken);
  });
});

describe('gatehouse doctor on broken configurations', () => {
  it('fails the preflight and the readable 401 for an origin the API does not allow', async () => {
    const results = await doctor({ origin: 'https://evil.example' });
    expect(find(results, 'preflight')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('"https://evil.example" to allowedOrigins'),
    });
    expect(find(results, 'anonymous-call')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('CORS error'),
    });
    expect(find(results, 'route').status).toBe('pass');
  });

  it('says a 404 means the stage, and names the URL that works', async () => {
    const results = await doctor({ url: `${new URL(stack.config.apiUrl).origin}/dev/inference`, token: idToken });
    expect(find(results, 'route')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('stage "dev" does not exist; the route answers on stage "prod"'),
      fix: expect.stringContaining(`${stack.config.apiUrl}/inference`),
    });
    expect(find(results, 'call').status).toBe('skip');
  });

  it('says a 404 means the route when the stage is right', async () => {
    const results = await doctor({ url: `${stack.config.apiUrl}/infer` });
    expect(find(results, 'route')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('"/infer" is not a gatehouse route (the API has POST /inference)'),
    });
  });

  it('explains an expired token and the authorizer’s refusal', async () => {
    const expired = await mint({
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    const results = await doctor({ token: expired });
    expect(find(results, 'token')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('expired 60 min ago'),
    });
    expect(find(results, 'call')).toMatchObject({ status: 'fail', summary: expect.stringContaining('401') });
    expect(find(results, 'call').fix).toMatch(/expired/);
  });

  it('explains a token issued to another app client', async () => {
    const results = await doctor({ token: await mint({ aud: 'some-other-client' }) });
    expect(find(results, 'token')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('issued to app client some-other-client'),
    });
    expect(find(results, 'call')).toMatchObject({ status: 'fail', fix: expect.stringContaining('another app client') });
  });

  it('explains an access token sent where the ID token belongs', async () => {
    const results = await doctor({ token: accessToken });
    expect(find(results, 'token')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('it is an access token; the API expects the ID token'),
    });
    expect(find(results, 'call').status).toBe('fail');
  });

  it('exits 1 when a check fails, and 2 on a usage error', async () => {
    const io = { out: () => {}, err: () => {} };
    expect(await doctorCommand(['--url', `${stack.config.apiUrl}/infer`, '--state-dir', stateDir], io)).toBe(1);
    expect(await doctorCommand([], io)).toBe(2);
    expect(await doctorCommand(['--url', 'not a url'], io)).toBe(2);
    expect(
      await doctorCommand(['--url', `${stack.config.apiUrl}/inference`, '--origin', 'https://a.example/'], io),
    ).toBe(2);
    expect(await doctorCommand(['--url', `${stack.config.apiUrl}/inference`, '--bogus'], io)).toBe(2);
  });
});
