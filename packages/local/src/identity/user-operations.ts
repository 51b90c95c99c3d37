/**
 * The unsigned Cognito operations a browser app makes — everything Amplify v6 and the
 * Authenticator call for sign-up, confirmation, sign-in (SRP and password), refresh, password
 * reset, attribute verification and sign-out. Unknown users are answered as a client that prevents
 * user-existence errors is answered on AWS: the same error as a wrong password, or a delivery that
 * goes nowhere.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { boundExchanges, checkCode } from './attempt-limits';
import { CognitoError, incorrectCredentials, invalidParameter } from './cognito-error';
import { checkPasswordPolicy } from './password-policy';
import {
  attributeList,
  attributesFrom,
  codeDelivery,
  decoyVerifier,
  deliver,
  EMAIL,
  newVerifier,
  type Operation,
  type PoolContext,
  requireClient,
  requireString,
} from './pool-context';
import { claimIsValid, parseSrpTimestamp, passwordMatches, serverEphemeral, srpPoolName } from './srp';
import type { StoredUser } from './user-store';

/** How long a PASSWORD_VERIFIER or NEW_PASSWORD_REQUIRED challenge may be answered (AWS: 3 minutes). */
const CHALLENGE_LIFETIME_MS = 3 * 60_000;
/** Attributes the pool sets itself; an app client may read them and never write them. */
const READ_ONLY_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified', 'identities', 'updated_at']);
/** `SRP_A` is a number below the 3072-bit modulus: 768 hex digits, with room for leading zeros. */
const MAX_SRP_A_HEX = 1_024;
/** The client's TIMESTAMP may differ from the server clock by this much. */
const MAX_TIMESTAMP_SKEW_MS = 5 * 60_000;

/**
 * Whether `username`'s password is `password`, under Cognito's lockout. An unknown username costs
 * the same work against a decoy and is counted and locked out alike: neither the answer nor its
 * time tells whether the user exists.
 */
function passwordIsRight(context: PoolContext, username: string, password: string): StoredUser | undefined {
  const user = context.store.find(username);
  const key = attemptKey(user, username);
  context.attempts.check(key);
  const stored = user?.password ?? decoyVerifier(context, username);
  const right = passwordMatches(stored, srpPoolName(context.ids.userPoolId), user?.sub ?? username, password);
  if (!user || !right) {
    context.attempts.failed(key);
    return undefined;
  }
  context.attempts.succeeded(key);
  return user;
}

function attemptKey(user: StoredUser | undefined, username: string): string {
  return user ? user.sub : `unknown:${username.trim().toLowerCase()}`;
}

/**
 * What `NEW_PASSWORD_REQUIRED` may set: the user's writable attributes, as Cognito allows — never
 * `sub` or a `*_verified` flag, never an email other than the one the account already has.
 */
function newPasswordAttributes(user: StoredUser, responses: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(responses)) {
    if (!key.startsWith('userAttributes.') || typeof value !== 'string') continue;
    const name = key.slice('userAttributes.'.length);
    if (name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
    if (READ_ONLY_ATTRIBUTES.has(name) || name.startsWith('cognito:') || name.startsWith('custom:cognito'))
      throw new CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
    if (name === 'email' && value !== user.attributes.email)
      throw invalidParameter('Cannot modify an already provided email');
    attributes[name] = value;
  }
  return attributes;
}

/** What a correct password leads to: tokens, the confirm step, or the new-password challenge. */
async function afterPassword(context: PoolContext, user: StoredUser, clientId: string) {
  if (!user.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.status === 'RESET_REQUIRED')
    throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const Session = randomBytes(48).toString('base64url');
    context.sessions.set(Session, { sub: user.sub, clientId, expiresAt: Date.now() + CHALLENGE_LIFETIME_MS });
    boundExchanges(context.sessions);
    const { email: _email, sub: _sub, email_verified: _verified, ...rest } = user.attributes;
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session,
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.sub,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify({ email: user.attributes.email, ...rest }),
      },
    };
  }
  return { ChallengeParameters: {}, AuthenticationResult: await context.tokens.issue(user, clientId, {}) };
}

const initiateAuth: Operation = async (context, input) => {
  const clientId = requireClient(context, input);
  const flow = requireString(input, 'AuthFlow');
  const parameters = (input.AuthParameters ?? {}) as Record<string, unknown>;
  if (flow === 'USER_PASSWORD_AUTH') {
    const username = requireString(parameters, 'USERNAME');
    const password = requireString(parameters, 'PASSWORD');
    const user = passwordIsRight(context, username, password);
    if (!user) throw incorrectCredentials();
    return afterPassword(context, user, clientId);
  }
  if (flow === 'USER_SRP_AUTH') {
    const username = requireString(parameters, 'USERNAME');
    const A = requireString(parameters, 'SRP_A');
    if (!/^[0-9a-fA-F]+$/.test(A) || A.length > MAX_SRP_A_HEX)
      throw invalidParameter('SRP_A must be a hexadecimal number below the SRP modulus');
    const user = context.store.find(username);
    // An unknown user gets a challenge for a decoy verifier no password matches (its salt stable
    // per username), so the answer reads the same as a wrong password, one step later — what AWS
    // does with user-existence errors prevented.
    const verifier = user?.password ?? decoyVerifier(context, username);
    const ephemeral = serverEphemeral(verifier);
    const secretBlock = randomBytes(64).toString('base64');
    dropExpired(context);
    context.srp.set(secretBlock, {
      sub: user?.sub,
      attemptKey: attemptKey(user, username),
      clientId,
      A,
      ephemeral,
      verifier,
      expiresAt: Date.now() + CHALLENGE_LIFETIME_MS,
    });
    boundExchanges(context.srp);
    const userId = user?.sub ?? randomUUID();
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: verifier.salt,
        SRP_B: ephemeral.B,
        SECRET_BLOCK: secretBlock,
        USER_ID_FOR_SRP: userId,
        USERNAME: userId,
      },
    };
  }
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
    return {
      ChallengeParameters: {},
      AuthenticationResult: await refreshed(context, clientId, parameters.REFRESH_TOKEN),
    };
  }
  throw invalidParameter(
    `Unsupported AuthFlow ${flow} (the local pool serves USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH)`,
  );
};

async function refreshed(context: PoolContext, clientId: string, token: unknown) {
  const refused = new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
  const entry = typeof token === 'string' ? context.store.refreshToken(token) : undefined;
  const user = entry && entry.clientId === clientId ? context.store.find(entry.sub) : undefined;
  if (!entry || !user?.enabled || !user.sessions.includes(entry.originJti)) throw refused;
  // Without refresh-token rotation AWS returns no new refresh token; the client keeps its own.
  const { RefreshToken: _none, ...result } = await context.tokens.issue(user, clientId, { originJti: entry.originJti });
  return result;
}

function dropExpired(context: PoolContext): void {
  const now = Date.now();
  for (const [key, exchange] of context.srp) if (exchange.expiresAt < now) context.srp.delete(key);
  for (const [key, session] of context.sessions) if (session.expiresAt < now) context.sessions.delete(key);
}

const respondToAuthChallenge: Operation = async (context, input) => {
  const clientId = requireClient(context, input);
  const name = requireString(input, 'ChallengeName');
  const responses = (input.ChallengeResponses ?? {}) as Record<string, unknown>;
  dropExpired(context);
  if (name === 'PASSWORD_VERIFIER') {
    const secretBlock = requireString(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
    const exchange = context.srp.get(secretBlock);
    if (!exchange || exchange.clientId !== clientId)
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    context.srp.delete(secretBlock);
    const timestamp = requireString(responses, 'TIMESTAMP');
    const at = parseSrpTimestamp(timestamp);
    if (!at || Math.abs(at.getTime() - Date.now()) > MAX_TIMESTAMP_SKEW_MS)
      throw invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
    context.attempts.check(exchange.attemptKey);
    const user = exchange.sub ? context.store.find(exchange.sub) : undefined;
    // Checked for an unknown user too (it never holds), so the time taken is alike.
    const valid = claimIsValid({
      poolName: srpPoolName(context.ids.userPoolId),
      userId: user?.sub ?? exchange.attemptKey,
      stored: exchange.verifier,
      ephemeral: exchange.ephemeral,
      A: exchange.A,
      secretBlock,
      timestamp,
      signature: requireString(responses, 'PASSWORD_CLAIM_SIGNATURE'),
    });
    if (!user || !valid) {
      context.attempts.failed(exchange.attemptKey);
      throw incorrectCredentials();
    }
    context.attempts.succeeded(exchange.attemptKey);
    return afterPassword(context, user, clientId);
  }
  if (name === 'NEW_PASSWORD_REQUIRED') {
    const sessionKey = requireString(input, 'Session');
    const session = context.sessions.get(sessionKey);
    const user = session && session.clientId === clientId ? context.store.find(session.sub) : undefined;
    if (!user) throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    const password = checkPasswordPolicy(responses.NEW_PASSWORD);
    const extra = newPasswordAttributes(user, responses);
    context.sessions.delete(sessionKey);
    context.store.update(user, (u) => {
      u.password = newVerifier(context.ids, u.sub, password);
      u.status = 'CONFIRMED';
      u.attributes = { ...u.attributes, ...extra };
    });
    return { ChallengeParameters: {}, AuthenticationResult: await context.tokens.issue(user, clientId, {}) };
  }
  throw invalidParameter(`Unsupported ChallengeName ${name}`);
};

const getTokensFromRefreshToken: Operation = async (context, input) => {
  const clientId = requireClient(context, input);
  return { AuthenticationResult: await refreshed(context, clientId, input.RefreshToken) };
};

const signUp: Operation = (context, input) => {
  requireClient(context, input);
  const username = requireString(input, 'Username').trim();
  const password = checkPasswordPolicy(input.Password);
  const attributes = attributesFrom(input.UserAttributes);
  const email = attributes.email ?? username;
  if (!EMAIL.test(username) || !EMAIL.test(email)) throw invalidParameter('Username should be an email.');
  if (context.store.find(username) || context.store.find(email))
    throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
  const sub = randomUUID();
  const { email_verified: _ignored, ...settable } = attributes;
  const user = context.store.create(email, newVerifier(context.ids, sub, password), 'UNCONFIRMED', settable, sub);
  const to = deliver(context, user, 'sign-up code', context.store.issueCode(user, 'signUp'));
  return { UserConfirmed: false, UserSub: sub, CodeDeliveryDetails: codeDelivery(to) };
};

const confirmSignUp: Operation = (context, input) => {
  requireClient(context, input);
  const user = context.store.find(requireString(input, 'Username'));
  const code = requireString(input, 'ConfirmationCode');
  if (!user) throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  if (user.status !== 'UNCONFIRMED')
    throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
  checkCode(context.store.useCode(user, 'signUp', code));
  // The code went to the address, so confirming it proves the address: Cognito marks it verified.
  context.store.update(user, (u) => {
    u.status = 'CONFIRMED';
    u.attributes.email_verified = 'true';
  });
  return {};
};

const resendConfirmationCode: Operation = (context, input) => {
  requireClient(context, input);
  const username = requireString(input, 'Username');
  const user = context.store.find(username);
  // Unknown and already confirmed alike: a delivery that goes nowhere (PreventUserExistenceErrors).
  if (user?.status !== 'UNCONFIRMED') return { CodeDeliveryDetails: codeDelivery(username) };
  const to = deliver(context, user, 'sign-up code', context.store.issueCode(user, 'signUp'));
  return { CodeDeliveryDetails: codeDelivery(to) };
};

const forgotPassword: Operation = (context, input) => {
  requireClient(context, input);
  const username = requireString(input, 'Username');
  const user = context.store.find(username);
  if (!user) return { CodeDeliveryDetails: codeDelivery(username) };
  if (user.attributes.email_verified !== 'true' && user.status !== 'UNCONFIRMED')
    throw new CognitoError(
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  const to = deliver(context, user, 'password reset code', context.store.issueCode(user, 'resetPassword'));
  return { CodeDeliveryDetails: codeDelivery(to) };
};

const confirmForgotPassword: Operation = (context, input) => {
  requireClient(context, input);
  const user = context.store.find(requireString(input, 'Username'));
  const code = requireString(input, 'ConfirmationCode');
  const password = checkPasswordPolicy(input.Password);
  if (!user) throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  checkCode(context.store.useCode(user, 'resetPassword', code));
  context.store.update(user, (u) => {
    u.password = newVerifier(context.ids, u.sub, password);
    if (u.status === 'RESET_REQUIRED' || u.status === 'FORCE_CHANGE_PASSWORD') u.status = 'CONFIRMED';
  });
  return {};
};

const getUser: Operation = async (context, input) => {
  const user = await context.tokens.userOf(input.AccessToken);
  return { Username: user.sub, UserAttributes: attributeList(user) };
};

const updateUserAttributes: Operation = async (context, input) => {
  const user = await context.tokens.userOf(input.AccessToken);
  const { email_verified: _ignored, ...changes } = attributesFrom(input.UserAttributes);
  if (changes.email !== undefined && !EMAIL.test(changes.email))
    throw invalidParameter('Invalid email address format.');
  const emailChanged = changes.email !== undefined && changes.email !== user.attributes.email;
  if (emailChanged && context.store.find(changes.email as string))
    throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
  context.store.update(user, (u) => {
    u.attributes = { ...u.attributes, ...changes };
    if (emailChanged) u.attributes.email_verified = 'false';
  });
  if (!emailChanged) return { CodeDeliveryDetailsList: [] };
  const to = deliver(context, user, 'verification code', context.store.issueCode(user, 'verifyEmail'));
  return { CodeDeliveryDetailsList: [codeDelivery(to)] };
};

const getUserAttributeVerificationCode: Operation = async (context, input) => {
  const user = await context.tokens.userOf(input.AccessToken);
  if (requireString(input, 'AttributeName') !== 'email')
    throw invalidParameter('The local pool verifies the email attribute only.');
  const to = deliver(context, user, 'verification code', context.store.issueCode(user, 'verifyEmail'));
  return { CodeDeliveryDetails: codeDelivery(to) };
};

const verifyUserAttribute: Operation = async (context, input) => {
  const user = await context.tokens.userOf(input.AccessToken);
  if (requireString(input, 'AttributeName') !== 'email')
    throw invalidParameter('The local pool verifies the email attribute only.');
  checkCode(context.store.useCode(user, 'verifyEmail', requireString(input, 'Code')));
  context.store.update(user, (u) => {
    u.attributes.email_verified = 'true';
  });
  return {};
};

const changePassword: Operation = async (context, input) => {
  const user = await context.tokens.userOf(input.AccessToken);
  const proposed = checkPasswordPolicy(input.ProposedPassword);
  if (!passwordIsRight(context, user.sub, requireString(input, 'PreviousPassword'))) throw incorrectCredentials();
  context.store.update(user, (u) => {
    u.password = newVerifier(context.ids, u.sub, proposed);
  });
  return {};
};

const globalSignOut: Operation = async (context, input) => {
  const user = await context.tokens.userOf(input.AccessToken);
  context.store.update(user, (u) => {
    u.sessions = [];
  });
  context.store.revokeRefreshTokens((entry) => entry.sub === user.sub);
  return {};
};

const revokeToken: Operation = (context, input) => {
  const clientId = requireClient(context, input);
  const token = requireString(input, 'Token');
  const entry = context.store.refreshToken(token);
  if (!entry || entry.clientId !== clientId) return {};
  const user = context.store.find(entry.sub);
  if (user)
    context.store.update(user, (u) => {
      u.sessions = u.sessions.filter((s) => s !== entry.originJti);
    });
  context.store.revokeRefreshTokens((candidate) => candidate.originJti === entry.originJti);
  return {};
};

const deleteUser: Operation = async (context, input) => {
  context.store.delete(await context.tokens.userOf(input.AccessToken));
  return {};
};

export const USER_OPERATIONS: Record<string, Operation> = {
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
  GetUser: getUser,
  UpdateUserAttributes: updateUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
  ChangePassword: changePassword,
  GlobalSignOut: globalSignOut,
  RevokeToken: revokeToken,
  DeleteUser: deleteUser,
};
