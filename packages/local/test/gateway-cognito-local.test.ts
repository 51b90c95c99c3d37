/**
 * The gateway's authorizer against real tokens from the local identity service (signed with the state directory's key),
 * configured as a deployment would be — issuer and audience only, no JWKS URL — so the key
 * location goes through discovery and its origin check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllowedOrigins } from '@gatehouse/contract';
import { SAMPLE_API } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../src/gateway';
import { DEMO_USER, type IdentityService, signIn, startIdentity } from '../src/identity';
import { send } from './helpers/gateway-http';
import { type LambdaStub, startLambdaStub } from './helpers/gateway-lambda-stub';
import { testCredential } from './helpers/test-credential';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-gateway-identity-'));
let identity: IdentityService;
let lambda: LambdaStub;
let gateway: RunningGateway;

beforeAll(async () => {
  identity = await startIdentity({ port: 0, stateDir });
  lambda = await startLambdaStub();
  gateway = await startGateway({
    port: 0,
    api: SAMPLE_API,
    allowedOrigins: parseAllowedOrigins('http://localhost:5173'),
    authorizer: { type: 'jwt', issuer: identity.issuer, audiences: [identity.clientId] },
    lambdaEndpoint: lambda.endpoint,
    lambdaCredential: testCredential,
    functionNames: { edge: 'gatehouse-edge' },
  });
});

afterAll(async () => {
  await gateway?.close();
  await lambda?.close();
  await identity?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('gateway with cognito-local tokens', () => {
  const post = (authorization: string) =>
    send(`${gateway.stageUrl}/inference`, {
      method: 'POST',
      headers: [
        ['authorization', authorization],
        ['content-type', 'application/json'],
      ],
      body: '{}',
    });

  it('admits the ID token and passes Cognito claims as strings', async () => {
    // Prepare
    const tokens = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);
    // Act
    const res = await post(tokens.IdToken);
    // Assess
    expect(res.status).toBe(200);
    const claims = lambda.invocations.at(-1)?.event.requestContext.authorizer?.jwt?.claims;
    expect(claims).toMatchObject({ token_use: 'id', aud: identity.clientId, iss: identity.issuer });
    expect(claims?.exp).toMatch(/^\d+$/);
  });

  it('admits the access token (client_id, no aud) with the Bearer prefix', async () => {
    const tokens = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);
    const res = await post(`Bearer ${tokens.AccessToken}`);
    expect(res.status).toBe(200);
  });

  it('rejects an ID token whose signature was altered', async () => {
    // Prepare
    const tokens = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);
    const [header, payload, signature = ''] = tokens.IdToken.split('.');
    const altered = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    // Act
    const res = await post(altered);
    // Assess
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error_description="the token signature is invalid"');
  });
});
