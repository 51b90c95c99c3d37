/**
 * `USER_SRP_AUTH` against the local pool with Amplify v6 itself as the client — AWS's own SRP code
 * computes A, the key and the claim signature — so a passing sign-in proves the server side of
 * Cognito's SRP interoperates; and the errors a wrong or unknown user gets, as AWS answers them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USER, DEMO_USER, type IdentityService, startIdentity } from '../src/identity';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-identity-srp-'));
let identity: IdentityService;

beforeAll(async () => {
  identity = await startIdentity({ port: 0, stateDir });
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: identity.userPoolId,
        userPoolClientId: identity.clientId,
        userPoolEndpoint: identity.endpoint,
        loginWith: { email: true },
      },
    },
  });
});

afterEach(async () => {
  await signOut().catch(() => {});
});

afterAll(async () => {
  await identity?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('USER_SRP_AUTH with Amplify as the client', () => {
  it('signs the demo user in through the PASSWORD_VERIFIER challenge', async () => {
    // Act
    const result = await signIn({
      username: DEMO_USER.username,
      password: DEMO_USER.password,
      options: { authFlowType: 'USER_SRP_AUTH' },
    });

    // Assess
    expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { tokens } = await fetchAuthSession();
    expect(tokens?.idToken?.payload).toMatchObject({ email: DEMO_USER.username, 'cognito:username': DEMO_USER.sub });
  });

  it('puts the admin in admins after SRP too', async () => {
    await signIn({ username: ADMIN_USER.username, password: ADMIN_USER.password });
    const { tokens } = await fetchAuthSession();
    expect(decodeJwt(tokens?.accessToken?.toString() ?? '')['cognito:groups']).toEqual(['admins']);
  });

  it('answers a wrong password with NotAuthorizedException "Incorrect username or password."', async () => {
    await expect(signIn({ username: DEMO_USER.username, password: 'Wrong-pass-1' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('answers an unknown user exactly as a wrong password', async () => {
    await expect(signIn({ username: 'nobody@gatehouse.local', password: 'Any-pass-1' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('sends an unconfirmed user with the right password to the confirm-sign-up step', async () => {
    // Prepare
    await signUp({ username: 'pending@gatehouse.local', password: 'Pending-pass-1' });

    // Act
    const result = await signIn({ username: 'pending@gatehouse.local', password: 'Pending-pass-1' });

    // Assess: Amplify turns UserNotConfirmedException into this step.
    expect(result.nextStep.signInStep).toBe('CONFIRM_SIGN_UP');
  });
});
