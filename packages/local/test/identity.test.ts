/**
 * The local identity service: the seeded pool, client and users, the tokens it issues (checked
 * with jose against its JWKS, as the gateway checks them), the refresh front Amplify relies on,
 * and a store that survives a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_USER,
  type AuthenticationResult,
  callCognito,
  DEMO_USER,
  type IdentityService,
  LOCAL_POOL,
  signIn,
  startIdentity,
} from '../src/identity';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-identity-'));
let identity: IdentityService;

beforeAll(async () => {
  identity = await startIdentity({ port: 0, stateDir });
});

afterAll(async () => {
  await identity?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('bootstrap', () => {
  it('serves the fixed, AWS-shaped pool and client with an issuer on its own port', () => {
    expect(identity.userPoolId).toBe('us-east-1_GateHouse');
    expect(identity.clientId).toBe(LOCAL_POOL.clientId);
    expect(identity.issuer).toBe(`${identity.endpoint}/us-east-1_GateHouse`);
    expect(identity.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('keeps its data in <stateDir>/.cognito with token validity units spelled out', () => {
    const clients = JSON.parse(readFileSync(path.join(stateDir, '.cognito', 'db', 'clients.json'), 'utf8'));
    expect(clients.Clients[LOCAL_POOL.clientId]).toMatchObject({
      IdTokenValidity: 1,
      AccessTokenValidity: 1,
      TokenValidityUnits: { IdToken: 'hours', AccessToken: 'hours', RefreshToken: 'days' },
    });
  });
});

describe('tokens', () => {
  it('issues an RS256 ID token for the demo user that verifies against the JWKS', async () => {
    // Act
    const tokens = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);

    // Assess
    const { payload, protectedHeader } = await jwtVerify(
      tokens.IdToken,
      createRemoteJWKSet(new URL(identity.jwksUri)),
      {
        issuer: identity.issuer,
        audience: identity.clientId,
      },
    );
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'CognitoLocal' });
    expect(payload).toMatchObject({
      token_use: 'id',
      email: DEMO_USER.username,
      email_verified: true,
      sub: DEMO_USER.sub,
      'cognito:username': DEMO_USER.sub,
    });
    expect(payload['cognito:groups']).toBeUndefined();
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it('puts the admin user in the admins group, in both tokens', async () => {
    // Act
    const tokens = await signIn(identity.endpoint, identity.clientId, ADMIN_USER.username, ADMIN_USER.password);

    // Assess
    expect(decodeJwt(tokens.IdToken)['cognito:groups']).toEqual(['admins']);
    const access = decodeJwt(tokens.AccessToken);
    expect(access).toMatchObject({ token_use: 'access', client_id: identity.clientId, 'cognito:groups': ['admins'] });
    expect(access.aud).toBeUndefined();
    expect((access.exp ?? 0) - (access.iat ?? 0)).toBe(3600);
  });

  it("refuses a wrong password (with the emulator's error type; AWS says NotAuthorizedException)", async () => {
    await expect(signIn(identity.endpoint, identity.clientId, DEMO_USER.username, 'wrong')).rejects.toMatchObject({
      status: 400,
      type: 'InvalidPasswordException',
    });
  });
});

describe('refresh front', () => {
  it('answers GetTokensFromRefreshToken with fresh tokens, CORS-readable', async () => {
    // Prepare
    const first = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);

    // Act
    const response = await fetch(identity.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
        origin: 'http://localhost:5173',
      },
      body: JSON.stringify({ ClientId: identity.clientId, RefreshToken: first.RefreshToken }),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const { AuthenticationResult: result } = (await response.json()) as { AuthenticationResult: AuthenticationResult };
    expect(result).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(result.RefreshToken).toBeUndefined();
    const { payload } = await jwtVerify(result.IdToken, createRemoteJWKSet(new URL(identity.jwksUri)), {
      issuer: identity.issuer,
      audience: identity.clientId,
    });
    expect(payload.sub).toBe(DEMO_USER.sub);
    expect(decodeProtectedHeader(result.AccessToken).alg).toBe('RS256');
  });

  it('passes a refused refresh token back as the Cognito error', async () => {
    const refused = callCognito(identity.endpoint, 'GetTokensFromRefreshToken', {
      ClientId: identity.clientId,
      RefreshToken: 'not-a-refresh-token',
    });
    await expect(refused).rejects.toMatchObject({ status: 400 });
  });

  it('forwards the rest of the Cognito API to the emulator', async () => {
    const answer = await callCognito<{ UserPool: { Id: string } }>(identity.endpoint, 'DescribeUserPool', {
      UserPoolId: identity.userPoolId,
    });
    expect(answer.UserPool.Id).toBe('us-east-1_GateHouse');
  });
});

describe('restart', () => {
  it('keeps users created through the API across a restart, and the seed stays put', async () => {
    // Prepare
    await callCognito(identity.endpoint, 'AdminCreateUser', {
      UserPoolId: identity.userPoolId,
      Username: 'carol@example.com',
      MessageAction: 'SUPPRESS',
    });
    await callCognito(identity.endpoint, 'AdminSetUserPassword', {
      UserPoolId: identity.userPoolId,
      Username: 'carol@example.com',
      Password: 'Carol-pass-1',
      Permanent: true,
    });
    await identity.close();

    // Act
    identity = await startIdentity({ port: 0, stateDir });

    // Assess
    const carol = await signIn(identity.endpoint, identity.clientId, 'carol@example.com', 'Carol-pass-1');
    expect(decodeJwt(carol.IdToken).iss).toBe(identity.issuer);
    await expect(
      signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password),
    ).resolves.toBeDefined();
  });
});
