/**
 * Every auth mode through the whole local stack, started with the same `auth` option the CDK
 * construct takes: the real Lambda authorizer bundle (email allow-list, API keys in the stack's
 * Parameter Store), SigV4 with the stack's own IAM credential, and the acknowledged public mode.
 * One stack per mode, a few requests each; the api-key stack's core is a fixture that answers with
 * the identity it received, and its edge requires a group, so one key is admitted and one refused.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthOption, CoreIdentity, Problem } from '@gatehouse/contract';
import { type InferenceAnswer, localKeyStore, SAMPLE_CONFIG } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_USER,
  DEMO_USER,
  LOCAL_CREDENTIAL_FILE,
  nodeBundle,
  type RunningStack,
  StackAuthError,
  type StackOptions,
  signIn,
  startStack,
} from '../src';
import { signForGateway } from './helpers/gateway-signer';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const BODY = JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' });

/** Starts one stack for the enclosing describe block and stops it after; `get()` is the running stack. */
function stackFor(auth: AuthOption, extra: Omit<StackOptions, 'stateDir' | 'auth' | 'config'> = {}) {
  const stateDir = mkdtempSync(path.join(tmpdir(), `gatehouse-auth-${auth.mode}-`));
  let stack: RunningStack | undefined;
  beforeAll(async () => {
    stack = await startStack({ config: SAMPLE_CONFIG, stateDir, auth, ...extra });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  return {
    stateDir,
    get(): RunningStack {
      if (!stack) throw new Error('the stack did not start');
      return stack;
    },
  };
}

function post(stack: RunningStack, headers: Record<string, string> | [string, string][] = {}) {
  const all = new Headers(headers);
  if (!all.has('content-type')) all.set('content-type', 'application/json');
  return fetch(`${stack.config.apiUrl}/inference`, { method: 'POST', headers: all, body: BODY });
}

async function idToken(stack: RunningStack, user: { username: string; password: string }): Promise<string> {
  const { cognito } = stack.config;
  return (await signIn(cognito.endpoint, cognito.clientId, user.username, user.password)).IdToken;
}

describe('auth lambda, email allow-list', () => {
  const s = stackFor({ mode: 'lambda', lambda: { kind: 'email-allowlist', allowedEmails: [DEMO_USER.username] } });

  it('admits the demo user, whose email is on the list, through the authorizer to the core', async () => {
    // Prepare
    const token = await idToken(s.get(), DEMO_USER);
    // Act
    const response = await post(s.get(), { authorization: `Bearer ${token}` });
    // Assess
    expect(response.status).toBe(200);
    expect(((await response.json()) as InferenceAnswer).answer).toMatch(/Acme Corp had revenue/);
  });

  it('refuses the admin user, whose email is not on the list, with 403', async () => {
    // Prepare
    const token = await idToken(s.get(), ADMIN_USER);
    // Act
    const response = await post(s.get(), { authorization: `Bearer ${token}` });
    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  });
});

describe('auth lambda, API keys (edge requiring the group "reporting")', () => {
  const s = stackFor(
    { mode: 'lambda', lambda: { kind: 'api-key', cacheSeconds: 1 } },
    {
      authorizerResultsCacheTtlSeconds: 1,
      edgeEnvironment: { CORE_TARGETS: 'figures=identity-core', REQUIRED_GROUPS: 'reporting' },
      extraFunctions: [
        {
          name: 'identity-core',
          ...nodeBundle(path.join(fixtures, 'identity-core.mjs')),
          timeoutSeconds: 5,
          memoryMb: 128,
        },
      ],
    },
  );

  // Issued before any key reaches the authorizer: a key added later is unknown to a container until
  // its key list expires (1 s here), as on AWS.
  const issued: Record<string, string> = {};
  beforeAll(async () => {
    issued.reporting = await localKeyStore(s.stateDir).add('reporting-service', { groups: ['reporting'] });
    issued.ungrouped = await localKeyStore(s.stateDir).add('ungrouped-service');
    issued.leaving = await localKeyStore(s.stateDir).add('leaving-service', { groups: ['reporting'] });
  });

  it('answers 401 when the request carries no key', async () => {
    // Act
    const response = await post(s.get());
    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('admits a key issued with gatehouse keys --local; the core sees api-key:<id> and its groups', async () => {
    // Act
    const response = await post(s.get(), { 'x-api-key': issued.reporting as string });
    // Assess
    expect(response.status).toBe(200);
    expect(((await response.json()) as { identity: CoreIdentity }).identity).toEqual({
      sub: 'api-key:reporting-service',
      email: null,
      username: 'reporting-service',
      groups: ['reporting'],
    });
  });

  it('refuses a valid key without the required group with 403 forbidden at the edge', async () => {
    // Act
    const response = await post(s.get(), { 'x-api-key': issued.ungrouped as string });
    // Assess
    expect(response.status).toBe(403);
    expect(((await response.json()) as Problem).code).toBe('forbidden');
  });

  it('refuses a revoked key once the authorizer and gateway caches have expired', async () => {
    // Prepare
    const key = issued.leaving as string;
    expect((await post(s.get(), { 'x-api-key': key })).status).toBe(200);
    await localKeyStore(s.stateDir).revoke('leaving-service');
    // Act: both caches are 1 s; poll, bounded in count and time, until the refusal shows.
    let status = 200;
    const deadline = Date.now() + 10_000;
    for (let attempt = 0; attempt < 20 && status === 200 && Date.now() < deadline; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (await post(s.get(), { 'x-api-key': key })).status;
    }
    // Assess
    expect(status).toBe(403);
  });
});

describe('auth iam', () => {
  const s = stackFor({ mode: 'iam' });
  const sign = (secretAccessKey?: string) => {
    const iam = s.get().services.iam;
    if (!iam) throw new Error('services has no iam credential');
    return signForGateway({
      method: 'POST',
      url: `${s.get().config.apiUrl}/inference`,
      headers: { 'content-type': 'application/json' },
      body: BODY,
      accessKeyId: iam.accessKeyId,
      secretAccessKey: secretAccessKey ?? iam.secretAccessKey,
      region: iam.region,
    });
  };

  it('keeps its credential in the state directory, readable by its owner only, and in services.json', () => {
    // Act
    const file = path.join(s.stateDir, LOCAL_CREDENTIAL_FILE);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    const services = JSON.parse(readFileSync(path.join(s.stateDir, 'services.json'), 'utf8'));
    // Assess
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(stored.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(services).toMatchObject({
      authMode: 'iam',
      iam: {
        accessKeyId: stored.accessKeyId,
        secretAccessKey: stored.secretAccessKey,
        region: s.get().config.cognito.region,
      },
    });
  });

  it('admits a request signed with the SDK signer and the local credential', async () => {
    // Act
    const response = await post(s.get(), await sign());
    // Assess
    expect(response.status).toBe(200);
    expect(((await response.json()) as InferenceAnswer).answer).toMatch(/Acme Corp had revenue/);
  });

  it('refuses an unsigned request with 403', async () => {
    // Act
    const response = await post(s.get());
    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('refuses a request signed with the wrong secret with 403', async () => {
    // Act
    const response = await post(s.get(), await sign('not-the-local-secret-at-all'));
    // Assess
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toMatch(/signature we calculated does not match/);
  });
});

describe('auth none', () => {
  it('refuses to start without the acknowledgement', async () => {
    // Prepare
    const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-auth-none-refused-'));
    try {
      // Act
      const started = startStack({ config: SAMPLE_CONFIG, stateDir, auth: { mode: 'none', acknowledgePublic: false } });
      // Assess
      await expect(started).rejects.toThrow(StackAuthError);
      await expect(started).rejects.toThrow(/acknowledgePublic: true/);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  describe('acknowledged', () => {
    const logs: string[] = [];
    const s = stackFor(
      { mode: 'none', acknowledgePublic: true },
      { onLog: (source, line) => logs.push(`${source} ${line}`) },
    );

    it('warns at start and admits a request that carries nothing', async () => {
      // Act
      const response = await post(s.get());
      // Assess
      expect(logs.some((line) => /WARNING: auth is "none"/.test(line))).toBe(true);
      expect(response.status).toBe(200);
      expect(((await response.json()) as InferenceAnswer).answer).toMatch(/Acme Corp had revenue/);
    });
  });
});
