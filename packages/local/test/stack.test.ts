/**
 * The whole local stack through real HTTP with real tokens: browser-origin request → gateway (CORS,
 * JWT authorizer) → edge Lambda → Invoke API → core Lambda, and back. One stack serves the file;
 * the failure cases re-register the edge with another configuration, as a redeploy would.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '@gatehouse/contract';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBundle, type RunningStack, signIn, startStack } from '../src';
import type { GatewayLogEntry } from '../src/gateway';
import { keysCommand } from '../src/keys';
import { mintEmulatorToken } from './helpers/emulator-tokens';
import { type InferenceAnswer, SAMPLE_CONFIG } from './helpers/sample-project';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-stack-'));
const BODY = { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' };

let stack: RunningStack;
let idToken: string;
const requests: GatewayLogEntry[] = [];

beforeAll(async () => {
  stack = await startStack({
    config: SAMPLE_CONFIG,
    stateDir,
    onRequest: (entry) => requests.push(entry),
    extraFunctions: [
      {
        name: 'slow-core',
        ...nodeBundle(path.join(fixtures, 'slow-core.mjs')),
        timeoutSeconds: 1,
        memoryMb: 128,
      },
      // One invocation at a time for 4 s: long enough that a burst's cold edges all find it busy.
      {
        name: 'busy-core',
        ...nodeBundle(path.join(fixtures, 'slow-core.mjs')),
        timeoutSeconds: 4,
        memoryMb: 128,
        maxWorkers: 1,
      },
    ],
  });
  const { cognito, demoUser } = stack.config;
  idToken = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;
});

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function ask(options: { token?: string; origin?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers.authorization = options.token;
  if (options.origin !== undefined) headers.origin = options.origin;
  return fetch(`${stack.config.apiUrl}/inference`, {
    method: 'POST',
    headers,
    body: JSON.stringify(options.body ?? BODY),
  });
}

const mint = (claims: JWTPayload, key?: KeyObject) =>
  mintEmulatorToken(stack.config.cognito, claims, key ? { stateDir, key } : { stateDir });

describe('local.json', () => {
  it('describes the stack with exactly the documented keys', () => {
    const written = JSON.parse(readFileSync(path.join(stateDir, 'local.json'), 'utf8'));
    expect(Object.keys(written).sort()).toEqual([
      'allowedOrigins',
      'apiUrl',
      'cognito',
      'demoUser',
      'lambdaEndpoint',
      'webUrl',
    ]);
    expect(Object.keys(written.cognito).sort()).toEqual(['clientId', 'endpoint', 'issuer', 'region', 'userPoolId']);
    expect(written).toEqual(stack.config);
    expect(written.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
  });
});

describe('happy path', () => {
  it('answers a signed-in browser request through gateway, edge and core', async () => {
    // Act
    const response = await ask({ token: idToken, origin: stack.config.webUrl });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(stack.config.webUrl);
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
    const answer = (await response.json()) as InferenceAnswer;
    expect(answer.answer).toMatch(/Acme Corp had revenue of \$[\d,]+ in 2024 Q3/);
    expect(answer.meta).toMatchObject({ partner: 'Acme Corp', year: 2024, period: 'Q3' });
  });
});

describe('CORS', () => {
  it('answers the preflight for an allowed origin at the gateway', async () => {
    // Act
    const response = await fetch(`${stack.config.apiUrl}/inference`, {
      method: 'OPTIONS',
      headers: {
        origin: stack.config.allowedOrigins[1] as string,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

    // Assess
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(stack.config.allowedOrigins[1]);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('never lets another origin read the answer', async () => {
    // Act
    const preflight = await fetch(`${stack.config.apiUrl}/inference`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    const response = await ask({ token: idToken, origin: 'https://evil.example' });

    // Assess
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('authorizer', () => {
  it('rejects a missing, expired, forged or wrong-audience token with 401 before any Lambda runs', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const { privateKey: ownKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const tokens = {
      expired: await mint({ iat: now - 7200, exp: now - 3600 }),
      forged: await mint({}, ownKey),
      wrongAudience: await mint({ aud: 'another-client' }),
    };

    const seen = requests.length;

    // Act
    const answers = await Promise.all([
      ask({ origin: stack.config.webUrl }),
      ...Object.values(tokens).map((token) => ask({ token, origin: stack.config.webUrl })),
    ]);

    // Assess
    for (const response of answers) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
      expect(response.headers.get('access-control-allow-origin')).toBe(stack.config.webUrl);
    }
    expect(answers[1]?.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const logged = requests.slice(seen);
    expect(logged.map((entry) => entry.status)).toEqual([401, 401, 401, 401]);
    expect(logged.every((entry) => entry.integrationLatencyMs === undefined)).toBe(true);
  });

  it('accepts a token the emulator key signs with the right claims (why its key must never be trusted outside)', async () => {
    const response = await ask({ token: await mint({ email: 'mallory@example.com', 'cognito:username': 'mallory' }) });
    expect(response.status).toBe(200);
  });
});

describe('error mapping along the whole path', () => {
  it("maps the core's not-found error to a 404 problem", async () => {
    // Act
    const response = await ask({ token: idToken, body: { ...BODY, partner: 'Nobody Ltd' } });

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      code: 'core_not_found',
      status: 404,
      requestId: response.headers.get('apigw-requestid'),
    });
  });

  it('refuses an invalid body at the edge with a 422 problem naming the field', async () => {
    const response = await ask({ token: idToken, body: { ...BODY, period: 'Q9' } });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as Problem;
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.map((e) => e.path)).toContain('period');
  });
});

describe('Lambda failures', () => {
  function redeployEdge(environment: Record<string, string>) {
    const edge = stack.lambda.pool(stack.functionNames.edge)?.definition;
    if (!edge) throw new Error('edge not registered');
    stack.lambda.register({ ...edge, environment: { ...edge.environment, ...environment } });
  }

  it('reports a core killed at its Lambda timeout as a 502 problem', async () => {
    // Prepare
    redeployEdge({ CORE_TARGETS: 'figures=slow-core' });

    // Act
    const response = await ask({ token: idToken });

    // Assess
    expect(response.status).toBe(502);
    expect(((await response.json()) as Problem).code).toBe('core_failed');
  });

  it("answers 504 when the edge's own deadline passes first", async () => {
    redeployEdge({ CORE_TARGETS: 'figures=slow-core', CORE_TIMEOUT_MS: '300' });
    const response = await ask({ token: idToken });
    expect(response.status).toBe(504);
    expect(((await response.json()) as Problem).code).toBe('core_timeout');
  });

  it('answers a burst past the core concurrency at once: 503 core_throttled with Retry-After, never a hang or a 500', async () => {
    // Prepare
    redeployEdge({ CORE_TARGETS: 'figures=busy-core', CORE_TIMEOUT_MS: '10000' });

    // Act
    const responses = await Promise.all([1, 2, 3, 4, 5, 6].map(() => ask({ token: idToken })));

    // Assess: one request ran the core (killed at its timeout: 502, or 504 if a loaded machine's
    // cold starts ate the edge's deadline first); the other five were throttled
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((status) => status === 503)).toHaveLength(5);
    expect([502, 504]).toContain(statuses.find((status) => status !== 503));
    const throttled = responses.filter((r) => r.status === 503);
    for (const response of throttled) {
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await response.json()) as Problem).code).toBe('core_throttled');
    }
  });

  it('answers 500 misconfigured when the target function does not exist', async () => {
    // Prepare
    redeployEdge({ CORE_TARGETS: 'figures=gatehouse-core-missing' });

    // Act
    const response = await ask({ token: idToken });

    // Assess
    expect(response.status).toBe(500);
    const problem = (await response.json()) as Problem;
    expect(problem.code).toBe('misconfigured');
    expect(JSON.stringify(problem)).not.toContain('arn:aws:lambda');
  });
});

describe('gatehouse keys --local', () => {
  it("issues and lists an API key in the stack's Parameter Store, found through services.json", async () => {
    // Prepare
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line), env: {} };

    // Act
    const added = await keysCommand(['add', 'partner-portal', '--local', '--state-dir', stateDir], io);
    const listed = await keysCommand(['list', '--local', '--state-dir', stateDir], io);

    // Assess
    expect([added, listed]).toEqual([0, 0]);
    expect(out.join('\n')).toContain('partner-portal');
  });
});

describe('stop', () => {
  it('ends every child process and keeps the identity store', async () => {
    // Prepare
    const pids = stack.pids();
    expect(pids.length).toBeGreaterThan(1);

    // Act
    await stack.stop();

    // Assess
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    expect(existsSync(path.join(stateDir, '.cognito', 'pool.json'))).toBe(true);
  });
});
