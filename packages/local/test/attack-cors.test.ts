/**
 * CORS attacks on the whole local stack: for every look-alike of each allowed web origin
 * (helpers/foreign-origins.ts) — as a preflight, as a signed-in POST and as an anonymous one — no
 * answer may carry that origin or `*` in `access-control-allow-origin`, and the edge refuses the
 * signed-in POST before the core runs. The allowed origins themselves are the control.
 *
 * The other local services a web page open in the developer's browser can reach (identity, the
 * Invoke API, Parameter Store) must not hand a foreign page `*` either, nor obey it unsigned.
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
import { foreignOrigins } from './helpers/foreign-origins';

const BODY = Buffer.from(JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'Revenue?' }));

let attack: AttackStack;

beforeAll(async () => {
  attack = await startAttackStack();
});

afterAll(async () => {
  await attack?.stop();
});

type Probe = 'preflight' | 'signed-in POST' | 'anonymous POST';

function probe(kind: Probe, origin: RawValue): Promise<RawResponse> {
  if (kind === 'preflight') {
    return rawRequest(attack.gatewayPort, {
      method: 'OPTIONS',
      target: '/prod/inference',
      headers: [
        ['origin', origin],
        ['access-control-request-method', 'POST'],
        ['access-control-request-headers', 'authorization,content-type'],
      ],
    });
  }
  return rawRequest(attack.gatewayPort, {
    method: 'POST',
    target: '/prod/inference',
    headers: [
      ...(kind === 'signed-in POST' ? [['authorization', attack.idToken] as [string, RawValue]] : []),
      ['origin', origin],
      ['content-type', 'application/json'],
      ['content-length', String(BODY.length)],
    ],
    body: BODY,
  });
}

/** The `Origin` as the server reads it: the bytes as Latin-1. */
const asRead = (origin: RawValue) => Buffer.from(origin).toString('latin1');

describe('CORS on the API', () => {
  it.each(['preflight', 'signed-in POST', 'anonymous POST'] as const)(
    'lets each allowed origin read the answer (%s, the control)',
    async (kind) => {
      for (const origin of attack.stack.config.allowedOrigins) {
        const response = await probe(kind, origin);
        expect(response.headers['access-control-allow-origin']).toEqual([origin]);
        expect(response.status).toBe({ preflight: 204, 'signed-in POST': 200, 'anonymous POST': 401 }[kind]);
      }
    },
  );

  it.each(['preflight', 'signed-in POST', 'anonymous POST'] as const)(
    'never reflects a foreign origin nor answers * (%s)',
    async (kind) => {
      // Prepare
      const cases = attack.stack.config.allowedOrigins.flatMap((allowed) => foreignOrigins(allowed));
      const failures: string[] = [];

      // Act
      for (const { name, origin } of cases) {
        const response = await probe(kind, origin);
        const method = kind === 'preflight' ? 'OPTIONS' : 'POST';
        const problems = answerViolations(attack, { method, origin: asRead(origin) }, response);
        if (response.headers['access-control-allow-origin'] !== undefined) {
          problems.push(`access-control-allow-origin: ${response.headers['access-control-allow-origin'].join(',')}`);
        }
        if (response.headers['access-control-allow-credentials'] !== undefined) {
          problems.push('access-control-allow-credentials sent');
        }
        if (kind === 'signed-in POST') {
          const requestId = response.headers['apigw-requestid']?.[0] ?? '';
          if (response.status !== 403 || !response.body.includes('"code":"origin_not_allowed"')) {
            problems.push(`status ${response.status}, expected the edge's 403 origin_not_allowed`);
          }
          if (attack.edgeLog(requestId).some((line) => line.coreMs !== undefined)) problems.push('the core ran');
        }
        if (problems.length > 0) failures.push(`${name} (${JSON.stringify(asRead(origin))}): ${problems.join('; ')}`);
      }

      // Assess
      expect(cases.length).toBeGreaterThan(60);
      expect(failures).toEqual([]);
    },
  );

  it('answers two Origin headers as one foreign origin', async () => {
    const [allowed] = attack.stack.config.allowedOrigins as [string];
    const response = await rawRequest(attack.gatewayPort, {
      method: 'OPTIONS',
      target: '/prod/inference',
      headers: [
        ['origin', allowed],
        ['origin', 'https://evil.com'],
        ['access-control-request-method', 'POST'],
      ],
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the other local services, from a foreign web page', () => {
  const evil = 'https://evil.example';

  function services() {
    const { config, services: extra } = attack.stack;
    return [
      {
        name: 'identity',
        url: config.cognito.endpoint,
        path: '/',
        target: 'AWSCognitoIdentityProviderService.ListUsers',
      },
      { name: 'Invoke API', url: config.lambdaEndpoint, path: '/2015-03-31/functions/gatehouse-edge/invocations' },
      { name: 'Parameter Store', url: extra.ssmEndpoint, path: '/', target: 'AmazonSSM.PutParameter' },
    ];
  }

  it.each(['identity', 'Invoke API', 'Parameter Store'])(
    '%s: never answers a foreign preflight with * or its origin',
    async (name) => {
      const service = services().find((s) => s.name === name) as ReturnType<typeof services>[number];
      const response = await rawRequest(Number(new URL(service.url).port), {
        method: 'OPTIONS',
        target: service.path,
        headers: [
          ['origin', evil],
          ['access-control-request-method', 'POST'],
          ['access-control-request-headers', 'content-type,x-amz-target'],
        ],
      });
      expect({ service: service.name, allowOrigin: response.headers['access-control-allow-origin'] }).toEqual({
        service: service.name,
        allowOrigin: undefined,
      });
    },
  );

  it('does not run the edge for an unsigned cross-origin text/plain POST to the Invoke API', async () => {
    // Prepare: what a foreign page can send without a preflight — a forged event with forged claims.
    const event = JSON.stringify({
      version: '2.0',
      rawPath: '/prod/inference',
      headers: { 'content-type': 'application/json' },
      requestContext: {
        requestId: 'forged',
        http: { method: 'POST', path: '/prod/inference' },
        authorizer: { jwt: { claims: { sub: 'forged', token_use: 'id' }, scopes: null } },
      },
      body: BODY.toString(),
      isBase64Encoded: false,
    });

    // Act
    const response = await rawRequest(Number(new URL(attack.stack.config.lambdaEndpoint).port), {
      method: 'POST',
      target: '/2015-03-31/functions/gatehouse-edge/invocations',
      headers: [
        ['origin', evil],
        ['content-type', 'text/plain'],
        ['content-length', String(Buffer.byteLength(event))],
      ],
      body: Buffer.from(event),
    });

    // Assess
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(attack.edgeLog('forged')).toEqual([]);
  });
});
