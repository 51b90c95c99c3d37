/**
 * Token attacks through the whole local stack: every forged, tampered, stale, misdirected or odd
 * token of the catalogue (helpers/token-attacks.ts) is sent to the gateway's JWT authorizer, and
 * none may reach the core. Each refusal must come from the right place with the right body: the
 * gateway's 401 with its challenge (no Lambda runs), the edge's `wrong_token_use` problem for a
 * well-signed token of the wrong kind (the core does not run), 431 for a head over the limit, 400
 * for bytes HTTP forbids. A key server the tokens point at (`jku`, `x5u`) must never be fetched.
 */

import {
  type AttackStack,
  answerViolations,
  type RawResponse,
  type RawValue,
  rawRequest,
  startAttackStack,
} from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttackerKeys, startAttackerKeys } from './helpers/jwt-forge';
import { type TokenAttack, type TokenAttackTarget, tokenAttacks, validIdToken } from './helpers/token-attacks';

const BODY = Buffer.from(JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'Revenue?' }));

let attack: AttackStack;
let attacker: AttackerKeys;
let target: TokenAttackTarget;

beforeAll(async () => {
  [attack, attacker] = await Promise.all([startAttackStack(), startAttackerKeys()]);
  const { cognito } = attack.stack.config;
  target = { issuer: cognito.issuer, clientId: cognito.clientId, key: attack.issuerKey, kid: attack.issuerKid };
});

afterAll(async () => {
  await Promise.all([attack?.stop(), attacker?.close()]);
});

function post(authorization: RawValue): Promise<RawResponse> {
  return rawRequest(attack.gatewayPort, {
    method: 'POST',
    target: '/prod/inference',
    headers: [
      ['authorization', authorization],
      ['content-type', 'application/json'],
      ['origin', attack.webOrigin],
      ['content-length', String(BODY.length)],
    ],
    body: BODY,
  });
}

/** What is wrong with the answer to one attack, or nothing. */
function refusalViolations(attackCase: TokenAttack, response: RawResponse): string[] {
  const problems = answerViolations(attack, { method: 'POST', origin: attack.webOrigin }, response);
  const requestId = response.headers['apigw-requestid']?.[0] ?? '';
  const entry = attack.gatewayEntry(requestId);
  const edgeLines = attack.edgeLog(requestId);
  const ranCore = edgeLines.some((line) => line.coreMs !== undefined);
  if (response.status === 200 || ranCore) problems.push(`ADMITTED (status ${response.status})`);
  switch (attackCase.refusal) {
    case 'gateway':
      if (response.status !== 401) problems.push(`status ${response.status}, expected the gateway's 401`);
      if (response.body !== '{"message":"Unauthorized"}') problems.push(`body ${response.body.slice(0, 100)}`);
      if (!response.headers['www-authenticate']?.[0]?.startsWith('Bearer ')) problems.push('no Bearer challenge');
      if (entry?.integrationLatencyMs !== undefined || edgeLines.length > 0) problems.push('the edge ran');
      break;
    case 'edge': {
      const problem = safeJson(response.body);
      if (response.status !== 401 || problem?.code !== 'wrong_token_use') {
        problems.push(`status ${response.status} ${response.body.slice(0, 100)}, expected the edge's wrong_token_use`);
      }
      break;
    }
    case 'head-limit':
      if (response.status !== 431) problems.push(`status ${response.status}, expected 431`);
      break;
    case 'parser':
      if (response.status !== 400) problems.push(`status ${response.status}, expected 400`);
      break;
  }
  if (attackCase.refusal !== 'parser' && response.headers['access-control-allow-origin']?.[0] !== attack.webOrigin) {
    problems.push("the refusal lacks the gateway's CORS headers (the browser would hide it)");
  }
  return problems;
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function run(cases: TokenAttack[]): Promise<string[]> {
  const failures: string[] = [];
  for (const attackCase of cases) {
    const problems = refusalViolations(attackCase, await post(attackCase.authorization));
    if (problems.length > 0) failures.push(`${attackCase.family} / ${attackCase.name}: ${problems.join('; ')}`);
  }
  return failures;
}

describe('token attacks through the gateway', () => {
  it('admits the control: a well-formed ID token signed by the local issuer', async () => {
    const response = await post(`Bearer ${validIdToken(target)}`);
    expect(response.status).toBe(200);
  });

  it.each([
    'alg none',
    'HS/RS confusion',
    'algorithm',
    'embedded jwk',
    'jku/x5u',
    'kid',
    'tampered',
    'time',
    'issuer',
    'audience',
    'token use',
    'size',
  ])('refuses every %s attack at the right place, with the right body', async (family) => {
    // Prepare
    const cases = tokenAttacks(target, attacker).filter((c) => c.family === family);
    expect(cases.length).toBeGreaterThan(0);

    // Act
    const failures = await run(cases);

    // Assess
    expect(failures).toEqual([]);
  });

  it('refuses a valid token behind unicode spaces, glued, doubled or foreign schemes and forbidden bytes', async () => {
    const failures = await run(tokenAttacks(target, attacker).filter((c) => c.family === 'header bytes'));
    expect(failures).toEqual([]);
  });

  it('never fetches a key from a URL a token names (jku, x5u)', () => {
    expect(attacker.fetches()).toBe(0);
  });

  it('is still up and admits the signed-in demo user afterwards', async () => {
    expect((await post(attack.idToken)).status).toBe(200);
  });
});
