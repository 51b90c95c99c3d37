/**
 * `gatehouse doctor` against the local stack in each auth mode other than cognito, reading the
 * mode from services.json as a user would run it: the allow-list refusal is blamed on the email
 * (never on scopes), an API key that is missing or unknown is named as such, an IAM signature that
 * is wrong, from an unknown key or from a skewed clock is told apart — and every fix is local
 * advice (`npx gatehouse …`, a restart, the stack's own origins), never a deploy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuthOption } from '@gatehouse/contract';
import { type RunningStack, signIn, startStack } from '@gatehouse/local';
import { mintEmulatorToken, SAMPLE_CONFIG } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { type CheckResult, resolveTarget, runDoctor } from '../src/doctor';
import { parseRouteUrl } from '../src/doctor/route-url';

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-doctor-modes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts a stack in `auth` for the tests of one describe block, and stops it after them. */
function stackIn(name: string, auth: AuthOption): { stack: () => RunningStack; stateDir: string } {
  const stateDir = path.join(scratch, name);
  let stack: RunningStack | undefined;
  beforeAll(async () => {
    stack = await startStack({ config: SAMPLE_CONFIG, stateDir, auth });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return { stack: () => stack as RunningStack, stateDir };
}

async function doctorCli(stateDir: string, stack: RunningStack, ...args: string[]) {
  const out: string[] = [];
  const code = await main(['doctor', '--url', `${stack.config.apiUrl}/inference`, '--state-dir', stateDir, ...args], {
    out: (t) => out.push(t),
    err: (t) => out.push(t),
    env: {},
  });
  return { code, out: out.join('\n') };
}

function find(results: CheckResult[], id: string): CheckResult {
  const result = results.find((r) => r.id === id);
  if (!result) throw new Error(`no ${id} check in ${JSON.stringify(results.map((r) => r.id))}`);
  return result;
}

/** Advice for a local URL is about the local stack: no deploys, no hosted origins, commands via npx. */
function expectLocalAdvice(output: string): void {
  expect(output).not.toMatch(/deploy/i);
  expect(output).not.toContain('amplifyapp.com');
  expect(output).not.toMatch(/(?<!npx )gatehouse (token|keys|dev)\b/);
}

describe('doctor, local stack with the email allow-list', () => {
  const { stack, stateDir } = stackIn('allow-list', {
    mode: 'lambda',
    lambda: { kind: 'email-allowlist', allowedEmails: ['boss@example.com'] },
  });

  it('blames the email for the 403, never scopes, and says how to restart with it listed', async () => {
    // Prepare
    const { cognito, demoUser, webUrl } = stack().config;
    const token = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;

    // Act
    const { code, out } = await doctorCli(stateDir, stack(), '--token', token, '--origin', webUrl);

    // Assess
    expect(code).toBe(1);
    expect(out).toContain('auth: lambda authorizer, email allow-list: boss@example.com');
    expect(out).toMatch(
      /FAIL {2}Email allow-list: demo@gatehouse\.local is not on the allow-list \(boss@example\.com\)/,
    );
    expect(out).toContain("npx gatehouse dev --auth lambda --allowed-emails 'boss@example.com,demo@gatehouse.local'");
    expect(out).toMatch(
      /FAIL {2}POST with the token: 403 from the Lambda authorizer \(email allow-list\): demo@gatehouse\.local is not on the allow-list/,
    );
    expect(out).not.toMatch(/scope/i);
    expectLocalAdvice(out);
  });

  it('says an unverified email is refused for that reason', async () => {
    const token = await mintEmulatorToken(
      stack().config.cognito,
      { email: 'boss@example.com', email_verified: false },
      { stateDir },
    );
    const results = await runDoctor({
      route: parseRouteUrl(`${stack().config.apiUrl}/inference`),
      token,
      expectations: { tokenUse: 'id', clientIds: [] },
      target: resolveTarget({ url: new URL(stack().config.apiUrl), stateDir, env: {} }),
      timeoutMs: 10_000,
    });
    expect(find(results, 'allow-list')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('boss@example.com is not verified'),
    });
    expect(find(results, 'call')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining(
        '403 from the Lambda authorizer (email allow-list): boss@example.com is not verified',
      ),
    });
  });

  it('when asked about another mode, says what the stack runs and how to restart it in that one', async () => {
    const { out } = await doctorCli(stateDir, stack(), '--auth', 'iam');
    expect(out).toMatch(
      /FAIL {2}Auth mode: you asked about iam .*, but the local stack runs lambda authorizer, email allow-list/,
    );
    expect(out).toContain(
      `restart the local stack in that mode: npx gatehouse dev --auth iam --state-dir '${stateDir}'`,
    );
    expectLocalAdvice(out);
  });
});

describe('doctor, local stack with API keys', () => {
  const { stack, stateDir } = stackIn('api-key', { mode: 'lambda', lambda: { kind: 'api-key', cacheSeconds: 0 } });

  it('without a key, says how to issue one for this stack', async () => {
    const { code, out } = await doctorCli(stateDir, stack());
    expect(code).toBe(0);
    expect(out).toContain('PASS  POST without credentials: 401 from the authorizer for a request without x-api-key');
    expect(out).toContain(`KEY=$(npx gatehouse keys add doctor --local --state-dir '${stateDir}')`);
    expectLocalAdvice(out);
  });

  it('names an unknown key as unknown or revoked, and passes with an issued one', async () => {
    // Prepare
    const printed: string[] = [];
    await main(['keys', 'add', 'doctor', '--local', '--state-dir', stateDir], {
      out: (t) => printed.push(t),
      err: () => {},
      env: {},
    });
    const key = printed[0] as string;

    // Act
    const unknown = await doctorCli(stateDir, stack(), '--api-key', 'ghk_not-a-real-key');
    const issued = await doctorCli(stateDir, stack(), '--api-key', key);

    // Assess
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/FAIL {2}API key: the key is not in the local key list \(1 key issued\)/);
    expect(unknown.out).toContain('403 from the Lambda authorizer (API keys): the key is unknown or revoked');
    expectLocalAdvice(unknown.out);
    expect(issued.out).toContain('PASS  API key: issued as "doctor"');
    expect(issued.out).toMatch(/PASS {2}POST with the API key: 200/);
    expect(issued.code).toBe(0);
  });
});

describe('doctor, local stack with IAM', () => {
  const { stack, stateDir } = stackIn('iam', { mode: 'iam' });

  function doctor(options: { secret?: string; accessKeyId?: string; now?: () => number }) {
    const services = stack().services;
    const iam = services.iam as { accessKeyId: string; secretAccessKey: string; region: string };
    return runDoctor({
      route: parseRouteUrl(`${stack().config.apiUrl}/inference`),
      expectations: { tokenUse: 'id', clientIds: [] },
      target: resolveTarget({ url: new URL(stack().config.apiUrl), stateDir, env: {} }),
      iam: {
        accessKeyId: options.accessKeyId ?? iam.accessKeyId,
        secretAccessKey: options.secret ?? iam.secretAccessKey,
        region: iam.region,
        source: 'the test',
      },
      timeoutMs: 10_000,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  it('signs with the stack’s own credential from services.json, and expects 403 for an unsigned call', async () => {
    const { code, out } = await doctorCli(stateDir, stack());
    expect(out).toContain('PASS  POST without credentials: 403 from the authorizer for an unsigned request');
    expect(out).toMatch(
      /PASS {2}SigV4 credential: signing as AKIA… for execute-api in us-east-1 \(the local stack's credential/,
    );
    expect(out).toMatch(/PASS {2}POST with a SigV4 signature: 200/);
    expect(code).toBe(0);
  });

  it('tells a wrong secret, an unknown key and a skewed clock apart', async () => {
    const wrongSecret = find(await doctor({ secret: 'not-the-secret' }), 'call');
    const unknownKey = find(await doctor({ accessKeyId: 'AKIAUNKNOWNKEY000000' }), 'call');
    const skewed = find(await doctor({ now: () => Date.now() - 10 * 60_000 }), 'call');

    expect(wrongSecret).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('the signature does not match'),
    });
    expect(wrongSecret.fix).toContain('the local stack’s credential (iam in services.json)');
    expect(unknownKey.summary).toContain('the access key is not one the API knows');
    expect(skewed.summary).toContain('more than 5 minutes from the server’s clock');
    expect(skewed.summary).toMatch(/this machine's clock is 10 min behind the server's/);
    expect(skewed.fix).toMatch(/clock/);
  });
});
