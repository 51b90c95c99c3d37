/**
 * The administrative Cognito operations, served only to callers that sign with SigV4 (the local
 * stack's credential): creating and confirming users, passwords, groups, listing. The local pool
 * is one fixed pool, so operations that make pools or clients are refused by name.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { CognitoError, invalidParameter } from './cognito-error';
import { checkPasswordPolicy } from './password-policy';
import {
  attributeList,
  attributesFrom,
  deliver,
  EMAIL,
  newVerifier,
  type Operation,
  type PoolContext,
  requirePool,
  requireString,
} from './pool-context';
import { TOKEN_VALIDITY_SECONDS } from './tokens';
import type { StoredUser } from './user-store';

function requireUser(context: PoolContext, input: Record<string, unknown>): StoredUser {
  requirePool(context, input);
  const user = context.store.find(requireString(input, 'Username'));
  if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
  return user;
}

function requireGroup(context: PoolContext, input: Record<string, unknown>): string {
  const name = requireString(input, 'GroupName');
  if (!context.store.group(name)) throw new CognitoError('ResourceNotFoundException', 'Group not found.');
  return name;
}

function userRecord(_context: PoolContext, user: StoredUser) {
  return {
    Username: user.sub,
    Attributes: attributeList(user),
    UserStatus: user.status,
    Enabled: user.enabled,
    UserCreateDate: Date.parse(user.created) / 1000,
    UserLastModifiedDate: Date.parse(user.modified) / 1000,
  };
}

/** Twelve characters meeting the default policy, as Cognito generates for AdminCreateUser. */
function temporaryPassword(): string {
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)];
  const rest = Array.from({ length: 8 }, () => pick('abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'));
  return `${pick('ABCDEFGHJKLMNPQRSTUVWXYZ')}${pick('abcdefghijkmnpqrstuvwxyz')}${pick('23456789')}${pick('!#%&*+-=?')}${rest.join('')}`;
}

const adminCreateUser: Operation = (context, input) => {
  requirePool(context, input);
  const username = requireString(input, 'Username').trim();
  const attributes = attributesFrom(input.UserAttributes);
  const email = attributes.email ?? username;
  if (!EMAIL.test(email)) throw invalidParameter('Username should be an email.');
  if (context.store.find(username) || context.store.find(email))
    throw new CognitoError('UsernameExistsException', 'User account already exists');
  const password =
    input.TemporaryPassword === undefined ? temporaryPassword() : checkPasswordPolicy(input.TemporaryPassword);
  const sub = randomUUID();
  const user = context.store.create(
    email,
    newVerifier(context.ids, sub, password),
    'FORCE_CHANGE_PASSWORD',
    attributes,
    sub,
  );
  if (input.MessageAction !== 'SUPPRESS') deliver(context, user, 'temporary password', password);
  return { User: userRecord(context, user) };
};

const adminSetUserPassword: Operation = (context, input) => {
  const user = requireUser(context, input);
  const password = checkPasswordPolicy(input.Password);
  context.store.update(user, (u) => {
    u.password = newVerifier(context.ids, u.sub, password);
    u.status = input.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  });
  return {};
};

const adminConfirmSignUp: Operation = (context, input) => {
  const user = requireUser(context, input);
  if (user.status !== 'UNCONFIRMED')
    throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
  context.store.update(user, (u) => {
    u.status = 'CONFIRMED';
  });
  return {};
};

const adminGetUser: Operation = (context, input) => {
  const { Attributes, ...rest } = userRecord(context, requireUser(context, input));
  return { ...rest, UserAttributes: Attributes };
};

const adminDeleteUser: Operation = (context, input) => {
  context.store.delete(requireUser(context, input));
  return {};
};

const adminUpdateUserAttributes: Operation = (context, input) => {
  const user = requireUser(context, input);
  const changes = attributesFrom(input.UserAttributes);
  context.store.update(user, (u) => {
    u.attributes = { ...u.attributes, ...changes };
  });
  return {};
};

const adminSetEnabled =
  (enabled: boolean): Operation =>
  (context, input) => {
    const user = requireUser(context, input);
    context.store.update(user, (u) => {
      u.enabled = enabled;
    });
    return {};
  };

const adminAddUserToGroup: Operation = (context, input) => {
  const user = requireUser(context, input);
  context.store.setMembership(user, requireGroup(context, input), true);
  return {};
};

const adminRemoveUserFromGroup: Operation = (context, input) => {
  const user = requireUser(context, input);
  context.store.setMembership(user, requireGroup(context, input), false);
  return {};
};

const adminListGroupsForUser: Operation = (context, input) => {
  const user = requireUser(context, input);
  return {
    Groups: context.store.groupsOf(user).map((GroupName) => ({ GroupName, UserPoolId: context.ids.userPoolId })),
  };
};

const listUsers: Operation = (context, input) => {
  requirePool(context, input);
  return { Users: context.store.users().map((user) => userRecord(context, user)) };
};

const createGroup: Operation = (context, input) => {
  requirePool(context, input);
  const name = requireString(input, 'GroupName');
  if (context.store.group(name))
    throw new CognitoError('GroupExistsException', 'A group with the name already exists.');
  const description = typeof input.Description === 'string' ? input.Description : undefined;
  const group = context.store.createGroup(name, description);
  return { Group: { GroupName: name, UserPoolId: context.ids.userPoolId, Description: group.description } };
};

const listGroups: Operation = (context, input) => {
  requirePool(context, input);
  return {
    Groups: context.store.groups().map(([GroupName, group]) => ({
      GroupName,
      UserPoolId: context.ids.userPoolId,
      Description: group.description,
    })),
  };
};

const describeUserPool: Operation = (context, input) => {
  requirePool(context, input);
  return {
    UserPool: {
      Id: context.ids.userPoolId,
      Name: 'gatehouse-local',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      EstimatedNumberOfUsers: context.store.users().length,
    },
  };
};

const describeUserPoolClient: Operation = (context, input) => {
  requirePool(context, input);
  if (requireString(input, 'ClientId') !== context.ids.clientId)
    throw new CognitoError('ResourceNotFoundException', `User pool client ${String(input.ClientId)} does not exist.`);
  return {
    UserPoolClient: {
      UserPoolId: context.ids.userPoolId,
      ClientId: context.ids.clientId,
      ClientName: 'gatehouse-web',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: TOKEN_VALIDITY_SECONDS / 3600,
      IdTokenValidity: TOKEN_VALIDITY_SECONDS / 3600,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    },
  };
};

const fixedPool: Operation = (context) => {
  throw new CognitoError(
    'UnsupportedOperationException',
    `The local identity service serves one fixed pool (${context.ids.userPoolId}) and client (${context.ids.clientId}).`,
  );
};

export const ADMIN_OPERATIONS: Record<string, Operation> = {
  AdminCreateUser: adminCreateUser,
  AdminSetUserPassword: adminSetUserPassword,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminEnableUser: adminSetEnabled(true),
  AdminDisableUser: adminSetEnabled(false),
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  ListUsers: listUsers,
  CreateGroup: createGroup,
  ListGroups: listGroups,
  DescribeUserPool: describeUserPool,
  DescribeUserPoolClient: describeUserPoolClient,
  CreateUserPool: fixedPool,
  CreateUserPoolClient: fixedPool,
  DeleteUserPool: fixedPool,
  DeleteUserPoolClient: fixedPool,
  UpdateUserPool: fixedPool,
  UpdateUserPoolClient: fixedPool,
};
