/**
 * The local identity service over a real socket: the fixed pool and its seeded users, tokens in
 * Cognito's shape signed with the state directory's own key, every user operation the
 * Authenticator uses (sign-up, confirm, resend, reset, attribute verification, password change,
 * sign-out, refresh), the mailbox, and a store and key that survive a restart.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  type Mail,
  signIn,
  signingKeyFile,
  startIdentity,
} from '../src/identity';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-identity-'));
let identity: IdentityService;
const mails: Mail[] = [];
const mailLines: string[] = [];

const start = () =>
  startIdentity({
    port: 0,
    stateDir,
    onMail: (mail, line) => {
      mails.push(mail);
      mailLines.push(line);
    },
  });

beforeAll(async () => {
  identity = await start();
});

afterAll(async () => {
  await identity?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const call = <T = Record<string, unknown>>(operation: string, body: Record<string, unknown>) =>
  callCognito<T>(identity.endpoint, operation, body);
const lastCode = (to: string) => {
  const mail = mails.filter((m) => m.to === to).at(-1);
  if (!mail) throw new Error(`no mail to ${to}`);
  return mail.code;
};

describe('bootstrap', () => {
  it('serves the fixed, AWS-shaped pool and client with an issuer on its own port', () => {
    expect(identity.userPoolId).toBe('us-east-1_GateHouse');
    expect(identity.clientId).toBe(LOCAL_POOL.clientId);
    expect(identity.issuer).toBe(`${identity.endpoint}/us-east-1_GateHouse`);
    expect(identity.mailboxUrl).toBe(`${identity.endpoint}/_local/mailbox`);
  });

  it('keeps its own signing key in the state directory, readable by the owner only', () => {
    const key = JSON.parse(readFileSync(signingKeyFile(stateDir), 'utf8'));
    expect(key).toMatchObject({ kty: 'RSA' });
    expect(statSync(signingKeyFile(stateDir)).mode & 0o077).toBe(0);
  });

  it('publishes an OpenID discovery document whose jwks_uri is the JWKS', async () => {
    const response = await fetch(`${identity.issuer}/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({ issuer: identity.issuer, jwks_uri: identity.jwksUri });
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
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).not.toBe('CognitoLocal');
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

  it('puts the admin user in the admins group, in both tokens; the access token has no aud', async () => {
    const tokens = await signIn(identity.endpoint, identity.clientId, ADMIN_USER.username, ADMIN_USER.password);
    expect(decodeJwt(tokens.IdToken)['cognito:groups']).toEqual(['admins']);
    const access = decodeJwt(tokens.AccessToken);
    expect(access).toMatchObject({
      token_use: 'access',
      client_id: identity.clientId,
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': ['admins'],
    });
    expect(access.aud).toBeUndefined();
  });

  it('answers a wrong password and an unknown user with the same NotAuthorizedException', async () => {
    for (const [username, password] of [
      [DEMO_USER.username, 'Wrong-pass-1'],
      ['nobody@gatehouse.local', 'Wrong-pass-1'],
    ] as const) {
      await expect(signIn(identity.endpoint, identity.clientId, username, password)).rejects.toMatchObject({
        status: 400,
        type: 'NotAuthorizedException',
        detail: 'Incorrect username or password.',
      });
    }
  });

  it('refuses another client id with ResourceNotFoundException', async () => {
    await expect(
      signIn(identity.endpoint, 'another-client', DEMO_USER.username, DEMO_USER.password),
    ).rejects.toMatchObject({
      type: 'ResourceNotFoundException',
    });
  });
});

describe('refresh', () => {
  it('answers GetTokensFromRefreshToken and REFRESH_TOKEN_AUTH with fresh tokens and no new refresh token', async () => {
    // Prepare
    const first = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);

    // Act
    const viaGetTokens = await call<{ AuthenticationResult: AuthenticationResult }>('GetTokensFromRefreshToken', {
      ClientId: identity.clientId,
      RefreshToken: first.RefreshToken,
    });
    const viaInitiate = await call<{ AuthenticationResult: AuthenticationResult }>('InitiateAuth', {
      ClientId: identity.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
    });

    // Assess
    for (const { AuthenticationResult: result } of [viaGetTokens, viaInitiate]) {
      expect(result).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
      expect(result.RefreshToken).toBeUndefined();
      expect(decodeJwt(result.IdToken).sub).toBe(DEMO_USER.sub);
      expect(decodeProtectedHeader(result.AccessToken).alg).toBe('RS256');
    }
  });

  it('refuses an unknown refresh token with NotAuthorizedException', async () => {
    await expect(
      call('GetTokensFromRefreshToken', { ClientId: identity.clientId, RefreshToken: 'not-a-refresh-token' }),
    ).rejects.toMatchObject({ status: 400, type: 'NotAuthorizedException' });
  });

  it('ends a session with RevokeToken, and every session with GlobalSignOut', async () => {
    // Prepare
    const one = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);
    const two = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);
    const three = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);

    // Act
    await call('RevokeToken', { ClientId: identity.clientId, Token: one.RefreshToken });

    // Assess
    const refresh = (token?: string) =>
      call('GetTokensFromRefreshToken', { ClientId: identity.clientId, RefreshToken: token });
    await expect(refresh(one.RefreshToken)).rejects.toMatchObject({ type: 'NotAuthorizedException' });
    await expect(call('GetUser', { AccessToken: one.AccessToken })).rejects.toMatchObject({
      type: 'NotAuthorizedException',
    });
    await expect(refresh(two.RefreshToken)).resolves.toBeDefined();

    await call('GlobalSignOut', { AccessToken: three.AccessToken });
    await expect(refresh(two.RefreshToken)).rejects.toMatchObject({ type: 'NotAuthorizedException' });
    await expect(call('GetUser', { AccessToken: two.AccessToken })).rejects.toMatchObject({
      type: 'NotAuthorizedException',
    });
  });
});

describe('sign-up', () => {
  const email = 'erin@example.com';
  const password = 'Erin-pass-1';

  it('refuses a password the default policy refuses, with AWS message', async () => {
    await expect(
      call('SignUp', { ClientId: identity.clientId, Username: email, Password: 'short' }),
    ).rejects.toMatchObject({
      type: 'InvalidPasswordException',
      detail: expect.stringMatching(/^Password did not conform with policy/),
    });
  });

  it('signs up, mails the code, resends a new one, and confirms with it (email then verified)', async () => {
    // Act
    const answer = await call<{ UserConfirmed: boolean; UserSub: string; CodeDeliveryDetails: unknown }>('SignUp', {
      ClientId: identity.clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    const firstCode = lastCode(email);
    await expect(signIn(identity.endpoint, identity.clientId, email, password)).rejects.toMatchObject({
      type: 'UserNotConfirmedException',
    });
    await call('ResendConfirmationCode', { ClientId: identity.clientId, Username: email });
    const secondCode = lastCode(email);
    await expect(
      call('ConfirmSignUp', { ClientId: identity.clientId, Username: email, ConfirmationCode: '000000x' }),
    ).rejects.toMatchObject({ type: 'CodeMismatchException' });
    await call('ConfirmSignUp', { ClientId: identity.clientId, Username: email, ConfirmationCode: secondCode });

    // Assess
    expect(answer).toMatchObject({
      UserConfirmed: false,
      CodeDeliveryDetails: { Destination: 'e***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    expect(mails.filter((m) => m.to === email).map((m) => m.purpose)).toEqual(['sign-up code', 'sign-up code']);
    expect(mailLines.at(-1)).toBe(`mail to ${email} — sign-up code ${secondCode}`);
    expect(firstCode).toMatch(/^\d{6}$/);
    const tokens = await signIn(identity.endpoint, identity.clientId, email, password);
    expect(decodeJwt(tokens.IdToken)).toMatchObject({ email, email_verified: true, sub: answer.UserSub });
  });

  it('refuses a second sign-up of the same address', async () => {
    await expect(
      call('SignUp', { ClientId: identity.clientId, Username: email, Password: password }),
    ).rejects.toMatchObject({
      type: 'UsernameExistsException',
    });
  });

  it('answers ResendConfirmationCode for an unknown user without saying so, and mails nothing', async () => {
    const before = mails.length;
    await expect(
      call('ResendConfirmationCode', { ClientId: identity.clientId, Username: 'ghost@example.com' }),
    ).resolves.toMatchObject({ CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } });
    expect(mails.length).toBe(before);
  });
});

describe('password reset and change', () => {
  const email = 'frank@example.com';

  it('resets a forgotten password with the mailed code, once', async () => {
    // Prepare
    await call('SignUp', { ClientId: identity.clientId, Username: email, Password: 'Frank-pass-1' });
    await call('ConfirmSignUp', { ClientId: identity.clientId, Username: email, ConfirmationCode: lastCode(email) });

    // Act
    await call('ForgotPassword', { ClientId: identity.clientId, Username: email });
    const code = lastCode(email);
    await call('ConfirmForgotPassword', {
      ClientId: identity.clientId,
      Username: email,
      ConfirmationCode: code,
      Password: 'Frank-pass-2',
    });

    // Assess
    expect(mails.at(-1)).toMatchObject({ to: email, purpose: 'password reset code' });
    await expect(signIn(identity.endpoint, identity.clientId, email, 'Frank-pass-1')).rejects.toMatchObject({
      type: 'NotAuthorizedException',
    });
    await expect(signIn(identity.endpoint, identity.clientId, email, 'Frank-pass-2')).resolves.toBeDefined();
    await expect(
      call('ConfirmForgotPassword', {
        ClientId: identity.clientId,
        Username: email,
        ConfirmationCode: code,
        Password: 'Frank-pass-3',
      }),
    ).rejects.toMatchObject({ type: 'CodeMismatchException' });
  });

  it('changes a password only with the previous one', async () => {
    const { AccessToken } = await signIn(identity.endpoint, identity.clientId, email, 'Frank-pass-2');
    await expect(
      call('ChangePassword', { AccessToken, PreviousPassword: 'Wrong-pass-1', ProposedPassword: 'Frank-pass-4' }),
    ).rejects.toMatchObject({ type: 'NotAuthorizedException' });
    await call('ChangePassword', { AccessToken, PreviousPassword: 'Frank-pass-2', ProposedPassword: 'Frank-pass-4' });
    await expect(signIn(identity.endpoint, identity.clientId, email, 'Frank-pass-4')).resolves.toBeDefined();
  });
});

describe('user attributes', () => {
  it('reads the user, changes the email (unverified, code mailed to the new address) and verifies it', async () => {
    // Prepare
    const email = 'gina@example.com';
    await call('SignUp', { ClientId: identity.clientId, Username: email, Password: 'Gina-pass-1' });
    await call('ConfirmSignUp', { ClientId: identity.clientId, Username: email, ConfirmationCode: lastCode(email) });
    const { AccessToken } = await signIn(identity.endpoint, identity.clientId, email, 'Gina-pass-1');

    // Act
    await call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name: 'email', Value: 'gina@new.example' }] });
    const unverified = await call<{ UserAttributes: Array<{ Name: string; Value: string }> }>('GetUser', {
      AccessToken,
    });
    await call('GetUserAttributeVerificationCode', { AccessToken, AttributeName: 'email' });
    await call('VerifyUserAttribute', { AccessToken, AttributeName: 'email', Code: lastCode('gina@new.example') });
    const verified = await call<{ UserAttributes: Array<{ Name: string; Value: string }> }>('GetUser', { AccessToken });

    // Assess
    const attribute = (list: Array<{ Name: string; Value: string }>, name: string) =>
      list.find((a) => a.Name === name)?.Value;
    expect(attribute(unverified.UserAttributes, 'email')).toBe('gina@new.example');
    expect(attribute(unverified.UserAttributes, 'email_verified')).toBe('false');
    expect(attribute(verified.UserAttributes, 'email_verified')).toBe('true');
    expect(mails.at(-1)).toMatchObject({ to: 'gina@new.example', purpose: 'verification code' });
  });

  it('refuses GetUser without a valid access token, and for an ID token', async () => {
    const { IdToken } = await signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password);
    await expect(call('GetUser', { AccessToken: IdToken })).rejects.toMatchObject({ type: 'NotAuthorizedException' });
    await expect(call('GetUser', { AccessToken: 'x.y.z' })).rejects.toMatchObject({ type: 'NotAuthorizedException' });
  });

  it('deletes the signed-in user on DeleteUser', async () => {
    await call('SignUp', { ClientId: identity.clientId, Username: 'hal@example.com', Password: 'Hal-pass-1' });
    await call('ConfirmSignUp', {
      ClientId: identity.clientId,
      Username: 'hal@example.com',
      ConfirmationCode: lastCode('hal@example.com'),
    });
    const { AccessToken } = await signIn(identity.endpoint, identity.clientId, 'hal@example.com', 'Hal-pass-1');
    await call('DeleteUser', { AccessToken });
    await expect(signIn(identity.endpoint, identity.clientId, 'hal@example.com', 'Hal-pass-1')).rejects.toMatchObject({
      type: 'NotAuthorizedException',
    });
  });
});

describe('mailbox', () => {
  it('lists every message newest first at /_local/mailbox', async () => {
    const response = await fetch(identity.mailboxUrl);
    const { messages } = (await response.json()) as { messages: Mail[] };
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(messages.length).toBe(mails.length);
    expect(messages[0]).toEqual(mails.at(-1));
    expect(messages.map((m) => m.time)).toEqual([...messages.map((m) => m.time)].sort().reverse());
  });
});

describe('restart', () => {
  it('keeps users, the mailbox and the signing key across a restart; tokens issued before still verify', async () => {
    // Prepare
    const before = await signIn(identity.endpoint, identity.clientId, 'erin@example.com', 'Erin-pass-1');
    const oldKid = decodeProtectedHeader(before.IdToken).kid;
    const mailCount = mails.length;
    await identity.close();

    // Act
    identity = await start();

    // Assess
    const after = await signIn(identity.endpoint, identity.clientId, 'erin@example.com', 'Erin-pass-1');
    expect(decodeProtectedHeader(after.IdToken).kid).toBe(oldKid);
    const { messages } = (await (await fetch(identity.mailboxUrl)).json()) as { messages: Mail[] };
    expect(messages.length).toBe(mailCount);
    await expect(
      signIn(identity.endpoint, identity.clientId, DEMO_USER.username, DEMO_USER.password),
    ).resolves.toBeDefined();
  });
});

describe('SRP challenge answers', () => {
  const challenge = () =>
    call<{ ChallengeName: string; ChallengeParameters: Record<string, string> }>('InitiateAuth', {
      ClientId: identity.clientId,
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: DEMO_USER.username, SRP_A: 'abcdef0123456789'.repeat(48) },
    });
  const respond = (parameters: Record<string, string>, timestamp: string) =>
    call('RespondToAuthChallenge', {
      ClientId: identity.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: {
        USERNAME: parameters.USER_ID_FOR_SRP ?? '',
        PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK ?? '',
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64'),
      },
    });
  const now = () => {
    const d = new Date();
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
    const month = d.toUTCString().slice(8, 11);
    const time = d.toISOString().slice(11, 19);
    return `${day} ${month} ${d.getUTCDate()} ${time} UTC ${d.getUTCFullYear()}`;
  };

  it('issues PASSWORD_VERIFIER with the parameters Amplify reads, USER_ID_FOR_SRP being the internal username', async () => {
    const { ChallengeName, ChallengeParameters } = await challenge();
    expect(ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: DEMO_USER.sub, USERNAME: DEMO_USER.sub });
    expect(ChallengeParameters.SALT).toMatch(/^[0-9a-f]+$/);
    expect(ChallengeParameters.SRP_B).toMatch(/^[0-9a-f]{700,}$/);
    expect(Buffer.from(ChallengeParameters.SECRET_BLOCK ?? '', 'base64').length).toBeGreaterThan(32);
  });

  it('refuses a wrong claim signature, and takes each secret block once', async () => {
    const { ChallengeParameters } = await challenge();
    await expect(respond(ChallengeParameters, now())).rejects.toMatchObject({
      type: 'NotAuthorizedException',
      detail: 'Incorrect username or password.',
    });
    await expect(respond(ChallengeParameters, now())).rejects.toMatchObject({
      type: 'NotAuthorizedException',
      detail: 'Invalid session for the user, session is expired.',
    });
  });

  it('refuses a timestamp that is not "ddd MMM D HH:mm:ss UTC YYYY" or is far from now', async () => {
    const { ChallengeParameters: first } = await challenge();
    await expect(respond(first, new Date().toISOString())).rejects.toMatchObject({ type: 'InvalidParameterException' });
    const { ChallengeParameters: second } = await challenge();
    await expect(respond(second, 'Mon Jan 1 00:00:00 UTC 2024')).rejects.toMatchObject({
      type: 'InvalidParameterException',
    });
  });
});
