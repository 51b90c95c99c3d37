/**
 * DNS rebinding against every local HTTP service of a running stack: a page whose own domain name
 * now resolves to 127.0.0.1 may read whatever a service answers to that name. Each service
 * answers only its own names (loopback, its own port) — identity and its mailbox, the gateway,
 * the Invoke API, the Parameter Store — and refuses the rest with 403 before reading anything.
 */

import { type AttackStack, rawRequest, startAttackStack } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let attack: AttackStack;

beforeAll(async () => {
  attack = await startAttackStack();
}, 120_000);

afterAll(() => attack?.stop());

interface Probe {
  service: string;
  url: () => string;
  method: string;
  path: () => string;
  /** What the service answers its own name with: proof the probe reaches what a rebound page would read. */
  ownStatus: number;
  /** The refusal's body: the Host named, or API Gateway's 403 for a name it does not serve. */
  refusal: RegExp;
}

const REFUSAL = /not this local service's address/;

const PROBES: Probe[] = [
  {
    service: 'identity mailbox',
    url: () => attack.stack.config.cognito.endpoint,
    method: 'GET',
    path: () => '/_local/mailbox',
    ownStatus: 200,
    refusal: REFUSAL,
  },
  {
    service: 'identity JWKS',
    url: () => attack.stack.config.cognito.endpoint,
    method: 'GET',
    path: () => `/${attack.stack.config.cognito.userPoolId}/.well-known/jwks.json`,
    ownStatus: 200,
    refusal: REFUSAL,
  },
  {
    service: 'gateway',
    url: () => attack.stack.config.apiUrl,
    method: 'GET',
    path: () => '/prod/no-such-route',
    ownStatus: 404,
    refusal: /^\{"message":"Forbidden"\}$/,
  },
  {
    service: 'Invoke API',
    url: () => attack.stack.config.lambdaEndpoint,
    method: 'POST',
    path: () => '/2015-03-31/functions/gatehouse-edge/invocations',
    ownStatus: 403,
    refusal: REFUSAL,
  },
  {
    service: 'Parameter Store',
    url: () => attack.stack.services.ssmEndpoint,
    method: 'POST',
    path: () => '/',
    ownStatus: 403,
    refusal: REFUSAL,
  },
];

function send(probe: Probe, host?: string) {
  const port = Number(new URL(probe.url()).port);
  return rawRequest(port, {
    method: probe.method,
    target: probe.path(),
    headers: host === undefined ? [] : [['host', host]],
  });
}

describe('DNS rebinding: every local service answers only its own names', () => {
  it.each(PROBES)('$service answers its own loopback names', async (probe) => {
    // Arrange
    const port = new URL(probe.url()).port;

    // Act
    const byIp = await send(probe, `127.0.0.1:${port}`);
    const byName = await send(probe, `localhost:${port}`);

    // Assess
    expect(byIp.status).toBe(probe.ownStatus);
    expect(byName.status).toBe(probe.ownStatus);
  });

  it.each(
    PROBES.flatMap((probe) =>
      ['evil.example', 'localhost.evil.example', '127.0.0.1:1'].map((host) => ({ ...probe, host })),
    ),
  )('$service refuses Host $host', async (probe) => {
    // Arrange
    const port = new URL(probe.url()).port;
    const host = probe.host.includes(':') ? probe.host : `${probe.host}:${port}`;

    // Act
    const answer = await send(probe, host);

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.body).not.toMatch(/"messages"|"keys"/);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});
