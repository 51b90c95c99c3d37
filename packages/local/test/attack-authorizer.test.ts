/**
 * The same token attack catalogue against the Lambda authorizer (`@gatehouse/authorizer`, email
 * allow-list mode, aws-jwt-verify inside): not one forged, tampered, stale or misdirected token
 * is admitted, each is refused as a verdict on the token (a refusal API Gateway answers 403 and
 * caches) rather than thrown (an uncached 500 an attacker could repeat at will), and the key
 * server a token names is never fetched. Header values arrive as the gateway hands them over:
 * the raw bytes read as Latin-1.
 */
import { KeyObject } from 'node:crypto';
import { createAuthorizer } from '@gatehouse/authorizer';
import { readAuthorizerEnvironment } from '@gatehouse/contract';
import type { RawValue } from '@gatehouse/testing';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayTestIssuer, startGatewayIssuer } from './helpers/gateway-issuer';
import { type AttackerKeys, startAttackerKeys } from './helpers/jwt-forge';
import { type TokenAttackTarget, tokenAttacks, validIdToken } from './helpers/token-attacks';

let issuer: GatewayTestIssuer;
let attacker: AttackerKeys;
let target: TokenAttackTarget;
let authorize: ReturnType<typeof createAuthorizer>;

beforeAll(async () => {
  [issuer, attacker] = await Promise.all([startGatewayIssuer(), startAttackerKeys()]);
  const signing = (await issuer.addKey('attack-target-key')).privateKey;
  target = {
    issuer: issuer.issuer,
    clientId: issuer.clientId,
    key: KeyObject.from(signing),
    kid: 'attack-target-key',
  };
  authorize = createAuthorizer(
    readAuthorizerEnvironment({
      AUTHORIZER_MODE: 'email-allowlist',
      USER_POOL_ID: 'us-east-1_GatewayTest',
      ISSUER: issuer.issuer,
      CLIENT_IDS: issuer.clientId,
      ALLOWED_EMAILS: 'mallory@example.com',
    }),
  );
});

afterAll(async () => {
  await Promise.all([issuer?.close(), attacker?.close()]);
});

function event(authorization: RawValue): APIGatewayRequestAuthorizerEventV2 {
  const value = Buffer.from(authorization).toString('latin1');
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/POST/inference',
    identitySource: [value],
    routeKey: 'POST /inference',
    rawPath: '/prod/inference',
    rawQueryString: '',
    cookies: [],
    headers: { authorization: value, 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: { method: 'POST', path: '/prod/inference', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'x' },
      requestId: 'attack',
      routeKey: 'POST /inference',
      stage: 'prod',
      time: '24/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795514400000,
    },
  } as APIGatewayRequestAuthorizerEventV2;
}

describe('token attacks against the Lambda authorizer', () => {
  it('admits the control: a well-formed ID token with an allow-listed email', async () => {
    const decision = await authorize(event(`Bearer ${validIdToken(target)}`));
    expect(decision.context?.email).toBe('mallory@example.com');
  });

  it('refuses every attack a Lambda authorizer can receive as a verdict on the token, never by throwing', async () => {
    // Prepare
    const cases = tokenAttacks(target, attacker).filter((c) => !c.gatewayOnly);
    const failures: string[] = [];

    // Act
    for (const attack of cases) {
      try {
        const decision = await authorize(event(attack.authorization));
        if (decision.context) failures.push(`${attack.family} / ${attack.name}: ADMITTED`);
        else if (!/^token rejected: /.test(decision.reason)) {
          failures.push(`${attack.family} / ${attack.name}: refused for "${decision.reason}"`);
        }
      } catch (error) {
        failures.push(`${attack.family} / ${attack.name}: threw ${(error as Error).name}: ${(error as Error).message}`);
      }
    }

    // Assess
    expect(cases.length).toBeGreaterThan(60);
    expect(failures).toEqual([]);
  });

  it('never fetches a key from a URL a token names (jku, x5u)', () => {
    expect(attacker.fetches()).toBe(0);
  });
});
