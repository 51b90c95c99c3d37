/**
 * `gatehouse doctor` against the real local stack: a healthy configuration passes every check, and
 * each broken one the test sets up on purpose — an origin the API does not allow, a wrong stage or
 * route in the URL, an expired token, a token for another app client, an access token — fails the
 * check it should, with the explanation a user needs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningStack, signIn, startStack, writeLocalConfig } from '@gatehouse/local';
import { mintEmulatorToken, SAMPLE_API, SAMPLE_CONFIG } from '@gatehouse/testing';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { type CheckResult, doctorCommand, resolveTarget, runDoctor } from '../src/doctor';
import { parseRouteUrl } from '../src/doctor/route-url';

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

const mint = (claims: JWTPayload) => mintEmulatorToken(stack.config.cognito, claims, { stateDir });

function doctor(options: { url?: string; origin?: string; token?: string }): Promise<CheckResult[]> {
  return runDoctor({
    route: parseRouteUrl(options.url ?? `${stack.config.apiUrl}/inference`, SAMPLE_API),
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
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), env: {} };
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
    expect(output).toContain('auth: cognito (API Gateway JWT authorizer: a Cognito ID token) — from');
    expect(output).toMatch(/PASS {2}Sign-in from .*: the identity service admits/);
    expect(output).toContain('6 passed, 0 failed');
    expect(output).not.toContain(idToken);
  });

  it("checks the local identity service too: an app on a port the stack does not admit can't sign in", async () => {
    // Prepare
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), env: {} };
    // Act
    const code = await doctorCommand(
      ['--url', `${stack.config.apiUrl}/inference`, '--origin', 'http://localhost:7777', '--state-dir', stateDir],
      io,
    );
    // Assess
    const output = lines.join('\n');
    expect(code).toBe(1);
    expect(output).toMatch(
      /FAIL {2}Sign-in from http:\/\/localhost:7777 \(local identity service\): the identity service refuses/,
    );
    expect(output).toContain('npx gatehouse dev --origin http://localhost:7777');
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

  it('exits 1 when a check fails, and 2 with the usage on a usage error', async () => {
    const io = { out: () => {}, err: () => {}, env: {} };
    const route = `${stack.config.apiUrl}/inference`;
    expect(await main(['doctor', '--url', `${stack.config.apiUrl}/infer`, '--state-dir', stateDir], io)).toBe(1);
    expect(await main(['doctor'], io)).toBe(2);
    expect(await main(['doctor', '--url', 'not a url'], io)).toBe(2);
    expect(await main(['doctor', '--url', route, '--origin', 'https://a.example/'], io)).toBe(2);
    expect(await main(['doctor', '--url', route, '--bogus'], io)).toBe(2);
    expect(await main(['doctor', '--url', route, '--auth', 'saml'], io)).toBe(2);
    const err: string[] = [];
    await main(['doctor'], { ...io, err: (t) => err.push(t) });
    expect(err.join('\n')).toMatch(/^gatehouse doctor: --url is required\n\nUsage: gatehouse doctor/);
  });
});

describe('gatehouse doctor, advice for a local URL', () => {
  async function cli(...args: string[]): Promise<string> {
    const out: string[] = [];
    const route = `${stack.config.apiUrl}/inference`;
    await main(['doctor', '--url', route, '--state-dir', stateDir, ...args], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      env: {},
    });
    return out.join('\n');
  }

  it('in every failure mode, is about the local stack: no deploys, no hosted origins, npx commands', async () => {
    // Prepare
    const expired = await mint({
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    const otherClient = await mint({ aud: 'some-other-client' });

    // Act
    const outputs = [
      await cli(),
      await cli('--origin', 'https://evil.example', '--token', idToken),
      await cli('--token', expired),
      await cli('--token', otherClient),
      await cli('--token', accessToken),
      await cli('--token', 'not-a-jwt'),
    ];

    // Assess
    for (const output of outputs) {
      expect(output).not.toMatch(/deploy/i);
      expect(output).not.toContain('amplifyapp.com');
      expect(output).not.toMatch(/(?<!npx )gatehouse (token|keys|dev)\b/);
    }
    expect(outputs[0]).toContain(`--origin ${stack.config.webUrl}`);
    expect(outputs[0]).toContain(`--token "$(npx gatehouse token --state-dir '${stateDir}')"`);
  });

  it('for a stopped local stack, says to start it again, naming the state directory', async () => {
    // Prepare: the files a stack on a now-closed port left behind
    const stale = path.join(stateDir, 'stale');
    writeLocalConfig(stale, { ...stack.config, apiUrl: 'http://127.0.0.1:9/prod' });
    writeFileSync(path.join(stale, 'services.json'), JSON.stringify({ ...stack.services }));
    const out: string[] = [];

    // Act
    const code = await main(['doctor', '--url', 'http://127.0.0.1:9/prod/inference', '--state-dir', stale], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      env: {},
    });

    // Assess
    expect(code).toBe(1);
    expect(out.join('\n')).toContain(
      `nothing answers at http://127.0.0.1:9/prod although local.json names it: the stack stopped; start it again with npx gatehouse dev --state-dir '${stale}'`,
    );
  });

  it('explains the edge’s origin refusal as the same cause the preflight found, not a contradiction', async () => {
    const output = await cli('--origin', 'https://evil.example', '--token', idToken);
    expect(output).toMatch(/FAIL {2}CORS preflight from https:\/\/evil\.example: the API does not allow this origin/);
    expect(output).toContain(
      `the same origin the preflight refused: the local stack allows only ${stack.config.allowedOrigins.join(' and ')}`,
    );
    expect(output).not.toContain('although the API’s CORS');
  });
});

describe('gatehouse doctor --body', () => {
  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['doctor', '--url', `${stack.config.apiUrl}/inference`, '--state-dir', stateDir, ...args], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: {},
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('refuses a body that is not JSON, and a file that does not exist, before sending anything', async () => {
    const notJson = await run('--body', '{partner: Acme}');
    const missing = await run('--body', `@${path.join(stateDir, 'no-such.json')}`);
    expect(notJson).toMatchObject({ code: 2, out: '' });
    expect(notJson.err).toMatch(/^gatehouse doctor: the --body value is not JSON \(.*\); write it as JSON/);
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toContain(`--body: no file ${path.join(stateDir, 'no-such.json')}`);
  });

  it('sends the body it is given, from the command line or a file, and says the schema refused it', async () => {
    // Prepare
    const file = path.join(stateDir, 'body.json');
    writeFileSync(file, JSON.stringify({ partner: 'Acme Corp', year: 1800, period: 'Q3', question: 'Revenue?' }));

    // Act
    const inline = await run('--token', idToken, '--body', '{"prompt":"hello"}');
    const fromFile = await run('--token', idToken, '--body', `@${file}`);

    // Assess: the edge's field errors come back, so the body really was the one sent.
    expect(inline.out).toMatch(/WARN {2}POST with the token: 4\d\d validation_failed: .* refused your --body/);
    expect(inline.out).toContain('prompt');
    expect(inline.out).toContain('change the body to what the route’s schema accepts');
    expect(fromFile.out).toMatch(/validation_failed: .* refused your --body/);
    expect(fromFile.out).toMatch(/field year: /);
  });

  it('with --project and no --body, sends the example of the route the URL names in that config', async () => {
    // Act
    const withProject = await run('--token', idToken, '--project', SAMPLE_CONFIG);
    const withoutProject = await run('--token', idToken);

    // Assess: the sample's example is valid, so the call passes; the source says where it came from.
    expect(withProject.code).toBe(0);
    expect(withProject.out).toContain('body: the route’s example');
    expect(withoutProject.out).toContain('body: the sample route’s example');
  });

  it('refuses a --project file that does not exist, before sending anything', async () => {
    const missing = await run('--project', path.join(stateDir, 'no-such.config.ts'));
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toContain('No gatehouse config at');
  });

  it('without --body, sends the route’s example from the project config', async () => {
    const results = await runDoctor({
      route: parseRouteUrl(`${stack.config.apiUrl}/inference`),
      token: idToken,
      expectations: { tokenUse: 'id', clientIds: [] },
      target: resolveTarget({ url: new URL(stack.config.apiUrl), stateDir, env: {} }),
      exampleBody: { partner: 'Acme Corp', year: 2024, period: 'Q9', question: 'Revenue?' },
      timeoutMs: 10_000,
    });
    expect(find(results, 'call')).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('refused the route’s example'),
      details: expect.arrayContaining(['body: the route’s example', expect.stringMatching(/^field period: /)]),
    });
  });
});
