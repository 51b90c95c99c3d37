/**
 * Attacks on the identity emulator as a user of the pool would make them, each answered as Cognito
 * answers: attributes a user may not write during NEW_PASSWORD_REQUIRED, password and code
 * guessing (lockout, attempt limits), usernames that are JavaScript's own property names, a flood
 * of pending SRP exchanges, and telling existing users from unknown ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalCredential } from '../src/iam';
import {
  CognitoApiError,
  callCognito,
  DEMO_USER,
  type IdentityService,
  type Mail,
  startIdentity,
} from '../src/identity';
import { boundExchanges, MAX_PENDING_CHALLENGES } from '../src/identity/attempt-limits';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-identity-attack-'));
const PASSWORD = 'Correct-horse-9';
let identity: IdentityService;
const mails: Mail[] = [];

beforeAll(async () => {
  identity = await startIdentity({ port: 0, stateDir, onMail: (mail) => mails.push(mail) });
});

afterAll(async () => {
  await identity?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const call = <T = Record<string, unknown>>(operation: string, body: Record<string, unknown>) =>
  callCognito<T>(identity.endpoint, operation, body);
const admin = (operation: string, body: Record<string, unknown>) =>
  callCognito(
    identity.endpoint,
    operation,
    { UserPoolId: identity.userPoolId, ...body },
    {
      credential: loadLocalCredential(stateDir),
      region: identity.region,
    },
  );

/** The error type a call is refused with, or `'accepted'`. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (error instanceof CognitoApiError) return `${error.type}: ${error.detail}`;
    throw error;
  }
}

const passwordSignIn = (username: string, password: string) =>
  call('InitiateAuth', {
    ClientId: identity.clientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });

async function confirmedUser(email: string): Promise<void> {
  await admin('AdminCreateUser', { Username: email, MessageAction: 'SUPPRESS' });
  await admin('AdminSetUserPassword', { Username: email, Password: PASSWORD, Permanent: true });
}

describe('NEW_PASSWORD_REQUIRED', () => {
  async function challenge(email: string) {
    await admin('AdminCreateUser', {
      Username: email,
      TemporaryPassword: 'Temporary-pass-1',
      MessageAction: 'SUPPRESS',
    });
    const answer = await call<{ Session: string }>('InitiateAuth', {
      ClientId: identity.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: 'Temporary-pass-1' },
    });
    return (attributes: Record<string, string>) =>
      call('RespondToAuthChallenge', {
        ClientId: identity.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: answer.Session,
        ChallengeResponses: {
          USERNAME: email,
          NEW_PASSWORD: PASSWORD,
          ...Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`userAttributes.${name}`, value])),
        },
      });
  }

  it.each([
    ['email', DEMO_USER.username, /^InvalidParameterException: Cannot modify an already provided email/],
    ['email_verified', 'true', /^NotAuthorizedException: A client attempted to write unauthorized attribute/],
    [
      'sub',
      '00000000-0000-0000-0000-000000000000',
      /^InvalidParameterException: Cannot modify the non-mutable attribute sub/,
    ],
    ['phone_number_verified', 'true', /^NotAuthorizedException: A client attempted to write unauthorized attribute/],
  ])('refuses to set %s, and the user stays as it was', async (name, value, expected) => {
    // Arrange
    const email = `forced-${name.replace(/_/g, '-')}@example.com`;
    const respond = await challenge(email);

    // Act
    const answer = await refusal(respond({ [name]: value }));
    const stored = (await admin('AdminGetUser', { Username: email })) as {
      UserAttributes: Array<{ Name: string; Value: string }>;
      UserStatus: string;
    };

    // Assess
    expect(answer).toMatch(expected);
    const attributes = Object.fromEntries(stored.UserAttributes.map((a) => [a.Name, a.Value]));
    expect(attributes.email).toBe(email);
    expect(attributes.email_verified).not.toBe('true');
    expect(stored.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('sets a writable attribute', async () => {
    // Arrange
    const respond = await challenge('forced-name@example.com');

    // Act
    const answer = await refusal(respond({ name: 'Forced Name' }));

    // Assess
    expect(answer).toBe('accepted');
  });
});

describe('password guessing', () => {
  it('locks a user out after five wrong passwords, the right one included, as Cognito does', async () => {
    // Arrange
    const email = 'guessed@example.com';
    await confirmedUser(email);

    // Act
    const wrong: string[] = [];
    for (let i = 0; i < 5; i++) wrong.push(await refusal(passwordSignIn(email, `Wrong-pass-${i}`)));
    const right = await refusal(passwordSignIn(email, PASSWORD));

    // Assess
    expect(wrong).toEqual(Array(5).fill('NotAuthorizedException: Incorrect username or password.'));
    expect(right).toBe('NotAuthorizedException: Password attempts exceeded');
  });

  it('locks an unknown username out alike, so the lockout tells nobody who exists', async () => {
    // Act
    const answers: string[] = [];
    for (let i = 0; i < 6; i++)
      answers.push(await refusal(passwordSignIn('nobody-here@example.com', `Wrong-pass-${i}`)));

    // Assess
    expect(answers.at(-1)).toBe('NotAuthorizedException: Password attempts exceeded');
  });
});

describe('code guessing', () => {
  it('spends a sign-up code at its fifth wrong try; the right code is refused after that', async () => {
    // Arrange
    const email = 'code-guessed@example.com';
    await call('SignUp', { ClientId: identity.clientId, Username: email, Password: PASSWORD });
    const code = mails.filter((m) => m.to === email).at(-1)?.code as string;
    const wrongCode = code === '000000' ? '000001' : '000000';

    // Act
    const answers: string[] = [];
    for (let i = 0; i < 5; i++)
      answers.push(
        await refusal(
          call('ConfirmSignUp', { ClientId: identity.clientId, Username: email, ConfirmationCode: wrongCode }),
        ),
      );
    const right = await refusal(
      call('ConfirmSignUp', { ClientId: identity.clientId, Username: email, ConfirmationCode: code }),
    );

    // Assess
    expect(answers.slice(0, 4)).toEqual(Array(4).fill(expect.stringMatching(/^CodeMismatchException/)));
    expect(answers[4]).toMatch(/^TooManyFailedAttemptsException/);
    expect(right).toMatch(/^LimitExceededException: Attempt limit exceeded/);
  });

  it('takes a new code once one is sent again', async () => {
    // Arrange
    const email = 'code-resent@example.com';
    await call('SignUp', { ClientId: identity.clientId, Username: email, Password: PASSWORD });
    for (let i = 0; i < 5; i++)
      await refusal(
        call('ConfirmSignUp', { ClientId: identity.clientId, Username: email, ConfirmationCode: 'xxxxxx' }),
      );
    await call('ResendConfirmationCode', { ClientId: identity.clientId, Username: email });
    const code = mails.filter((m) => m.to === email).at(-1)?.code as string;

    // Act
    const answer = await refusal(
      call('ConfirmSignUp', { ClientId: identity.clientId, Username: email, ConfirmationCode: code }),
    );

    // Assess
    expect(answer).toBe('accepted');
  });
});

describe('usernames that are JavaScript property names', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'answers %s as any unknown user',
    async (name) => {
      // Act
      const signIn = await refusal(passwordSignIn(name, 'Some-pass-1'));
      const confirm = await refusal(
        call('ConfirmSignUp', { ClientId: identity.clientId, Username: name, ConfirmationCode: '123456' }),
      );
      const group = await refusal(admin('AdminAddUserToGroup', { Username: DEMO_USER.username, GroupName: name }));

      // Assess
      expect(signIn).toBe('NotAuthorizedException: Incorrect username or password.');
      expect(confirm).toMatch(/^CodeMismatchException/);
      expect(group).toMatch(/^ResourceNotFoundException/);
    },
  );
});

describe('pending SRP exchanges', () => {
  it('keeps at most the newest MAX_PENDING_CHALLENGES', () => {
    // Arrange
    const pending = new Map<string, number>();

    // Act
    for (let i = 0; i < MAX_PENDING_CHALLENGES + 500; i++) {
      pending.set(`block-${i}`, i);
      boundExchanges(pending);
    }

    // Assess
    expect(pending.size).toBe(MAX_PENDING_CHALLENGES);
    expect(pending.has(`block-${MAX_PENDING_CHALLENGES + 499}`)).toBe(true);
    expect(pending.has('block-0')).toBe(false);
  });

  it('refuses an SRP_A longer than the modulus allows', async () => {
    // Act
    const answer = await refusal(
      call('InitiateAuth', {
        ClientId: identity.clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: DEMO_USER.username, SRP_A: 'f'.repeat(65_000) },
      }),
    );

    // Assess
    expect(answer).toMatch(/^InvalidParameterException: SRP_A must be a hexadecimal number/);
  });
});

describe('user existence', () => {
  it('answers ResendConfirmationCode for an unknown and a confirmed user alike', async () => {
    // Arrange
    await confirmedUser('resend-confirmed@example.com');

    // Act
    const unknown = await call('ResendConfirmationCode', {
      ClientId: identity.clientId,
      Username: 'resend-unknown@example.com',
    });
    const confirmed = await call('ResendConfirmationCode', {
      ClientId: identity.clientId,
      Username: 'resend-confirmed@example.com',
    });

    // Assess
    expect(confirmed).toEqual(unknown);
  });

  it('challenges an unknown username with the same salt each time, as it does a known one', async () => {
    // Act
    const salts = async (username: string) => {
      const seen = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const answer = await call<{ ChallengeParameters: { SALT: string } }>('InitiateAuth', {
          ClientId: identity.clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: username, SRP_A: 'abcdef0123456789' },
        });
        seen.add(answer.ChallengeParameters.SALT);
      }
      return seen.size;
    };

    // Assess
    expect(await salts(DEMO_USER.username)).toBe(1);
    expect(await salts('salt-unknown@example.com')).toBe(1);
  });
});
