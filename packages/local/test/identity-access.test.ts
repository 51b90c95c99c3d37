/**
 * Who may use the local identity service: admin operations only with a SigV4 signature by the
 * stack's credential (as on AWS), user operations unsigned, and browsers only from the configured
 * web origins — exact match, never `*`, preflights from anywhere else refused — so a page open in
 * the developer's browser cannot read or change the local pool, nor read its mailbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCredential } from '../src/iam';
import { loadLocalCredential } from '../src/iam';
import { callCognito, DEMO_USER, type IdentityService, startIdentity } from '../src/identity';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-identity-access-'));
const WEB = 'http://localhost:5173';
let identity: IdentityService;
let credential: LocalCredential;

beforeAll(async () => {
  credential = loadLocalCredential(stateDir);
  identity = await startIdentity({ port: 0, stateDir, allowedOrigins: [WEB, 'http://127.0.0.1:5173'] });
});

afterAll(async () => {
  await identity?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const signing = () => ({ credential, region: identity.region });
const target = (operation: string) => `AWSCognitoIdentityProviderService.${operation}`;

function post(operation: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(identity.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target(operation), ...headers },
    body: JSON.stringify(body),
  });
}

describe('admin operations', () => {
  const listUsers = { UserPoolId: 'us-east-1_GateHouse' };

  it('refuses every admin operation unsigned, with 403 and nothing done', async () => {
    for (const operation of [
      'ListUsers',
      'AdminAddUserToGroup',
      'AdminDeleteUser',
      'CreateUserPoolClient',
      'CreateGroup',
    ]) {
      const response = await post(operation, { ...listUsers, Username: DEMO_USER.username, GroupName: 'admins' });
      expect(response.status, operation).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    }
    const users = await callCognito<{ Users: unknown[] }>(identity.endpoint, 'ListUsers', listUsers, signing());
    expect(users.Users.length).toBe(2);
  });

  it('refuses a signature made with another secret', async () => {
    const forged = { ...signing(), credential: { ...credential, secretAccessKey: 'not-the-secret' } };
    await expect(callCognito(identity.endpoint, 'ListUsers', listUsers, forged)).rejects.toMatchObject({
      status: 403,
      type: 'UnrecognizedClientException',
    });
  });

  it('serves admin operations signed with the stack credential: create, password, group, get, delete', async () => {
    // Act
    await callCognito(identity.endpoint, 'AdminCreateUser', { ...listUsers, Username: 'ivy@example.com' }, signing());
    await callCognito(
      identity.endpoint,
      'AdminSetUserPassword',
      { ...listUsers, Username: 'ivy@example.com', Password: 'Ivy-pass-1', Permanent: true },
      signing(),
    );
    await callCognito(identity.endpoint, 'CreateGroup', { ...listUsers, GroupName: 'auditors' }, signing());
    await callCognito(
      identity.endpoint,
      'AdminAddUserToGroup',
      { ...listUsers, Username: 'ivy@example.com', GroupName: 'auditors' },
      signing(),
    );
    const groups = await callCognito<{ Groups: Array<{ GroupName: string }> }>(
      identity.endpoint,
      'AdminListGroupsForUser',
      { ...listUsers, Username: 'ivy@example.com' },
      signing(),
    );
    const user = await callCognito<{ UserStatus: string }>(
      identity.endpoint,
      'AdminGetUser',
      { ...listUsers, Username: 'ivy@example.com' },
      signing(),
    );
    await callCognito(identity.endpoint, 'AdminDeleteUser', { ...listUsers, Username: 'ivy@example.com' }, signing());

    // Assess
    expect(groups.Groups.map((g) => g.GroupName)).toEqual(['auditors']);
    expect(user.UserStatus).toBe('CONFIRMED');
    await expect(
      callCognito(identity.endpoint, 'AdminGetUser', { ...listUsers, Username: 'ivy@example.com' }, signing()),
    ).rejects.toMatchObject({ type: 'UserNotFoundException' });
  });

  it('mails the temporary password of AdminCreateUser, and the first sign-in must choose a new one', async () => {
    // Prepare
    await callCognito(identity.endpoint, 'AdminCreateUser', { ...listUsers, Username: 'jo@example.com' }, signing());
    const { messages } = (await (await fetch(identity.mailboxUrl)).json()) as {
      messages: Array<{ to: string; purpose: string; code: string }>;
    };
    const mail = messages[0];

    // Act
    const challenge = await callCognito<{ ChallengeName: string; Session: string }>(identity.endpoint, 'InitiateAuth', {
      ClientId: identity.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'jo@example.com', PASSWORD: mail?.code },
    });
    const done = await callCognito<{ AuthenticationResult?: unknown }>(identity.endpoint, 'RespondToAuthChallenge', {
      ClientId: identity.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: 'jo@example.com', NEW_PASSWORD: 'Jo-new-pass-1' },
    });

    // Assess
    expect(mail).toMatchObject({ to: 'jo@example.com', purpose: 'temporary password' });
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('refuses to make pools or clients: the local pool is one fixed pool', async () => {
    await expect(
      callCognito(identity.endpoint, 'CreateUserPool', { PoolName: 'another' }, signing()),
    ).rejects.toMatchObject({ type: 'UnsupportedOperationException' });
  });
});

describe('browsers', () => {
  const preflight = (origin: string) =>
    fetch(identity.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers':
          'content-type,x-amz-target,x-amz-user-agent,amz-sdk-request,amz-sdk-invocation-id',
      },
    });

  it('answers a preflight from a configured web origin with exactly that origin', async () => {
    const response = await preflight(WEB);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(WEB);
    for (const header of ['x-amz-target', 'x-amz-user-agent', 'amz-sdk-request', 'amz-sdk-invocation-id'])
      expect(response.headers.get('access-control-allow-headers')).toContain(header);
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('refuses preflights from other origins, look-alikes included, without any CORS header', async () => {
    for (const origin of [
      'https://evil.example',
      'http://localhost:5174',
      'http://localhost:5173.evil.example',
      'null',
    ]) {
      const response = await preflight(origin);
      expect(response.status, origin).toBe(403);
      expect(response.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('lets the web origin read a user operation, and refuses it from another origin (a text/plain trick too)', async () => {
    const signIn = {
      ClientId: identity.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: DEMO_USER.username, PASSWORD: DEMO_USER.password },
    };
    const allowed = await post('InitiateAuth', signIn, { origin: WEB });
    const foreign = await post('InitiateAuth', signIn, {
      origin: 'https://evil.example',
      'content-type': 'text/plain',
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('shows the mailbox to the web origin only; never answers with *', async () => {
    const mine = await fetch(identity.mailboxUrl, { headers: { origin: WEB } });
    const foreign = await fetch(identity.mailboxUrl, { headers: { origin: 'https://evil.example' } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
