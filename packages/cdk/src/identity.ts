/**
 * Who signs the callers in, in the modes that read a Cognito token (`cognito`, and the Lambda
 * authorizer's email allow-list): the pool and app clients passed in (an Amplify Gen 2 backend's
 * `backend.auth.resources`, or `UserPool.fromUserPoolId`), or a pool created here. Modes that never
 * read a token (API keys, IAM, public) get no pool at all: nothing is created, or kept after a
 * destroy, that nobody can use.
 *
 * The JWT authorizer trusts exactly one issuer, `https://cognito-idp.<region>.amazonaws.com/<pool>`,
 * and the region there is the pool's, not the stack's: a concrete pool id carries its region before
 * the `_`, and that is what the authorizer is given.
 */
import { userPoolRegion } from '@gatehouse/contract';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { AccountRecovery, type IUserPool, type IUserPoolClient, UserPool } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { GatehouseConfigError } from './errors';

/** Settings of the user pool gatehouse creates when none is passed in. */
export interface NewUserPoolOptions {
  /**
   * Let anyone with an email address sign up and call the API. Off by default: administrators
   * create users (`aws cognito-idp admin-create-user`), so a new deployment is not open to the world.
   * @default false
   */
  readonly selfSignUp?: boolean;
  /**
   * What a `destroy` does to the pool and its web client (they share it, so a kept pool keeps the
   * client its app signs in with).
   * @default RemovalPolicy.RETAIN, with deletion protection
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface Identity {
  readonly userPool: IUserPool;
  /** Audiences the authorizer accepts; the first is the web app's client. */
  readonly clients: readonly IUserPoolClient[];
  /** Region of the pool (for the issuer and the web app's configuration). */
  readonly region: string;
}

export interface IdentityInputs {
  readonly userPool?: IUserPool;
  readonly userPoolClients?: readonly IUserPoolClient[];
  readonly newUserPool?: NewUserPoolOptions;
}

/** The identity the auth mode needs, or undefined when it reads no Cognito token. */
export function resolveIdentity(
  scope: Construct,
  inputs: IdentityInputs,
  mode: { usesUserPool: boolean; mode: string },
): Identity | undefined {
  if (!mode.usesUserPool) {
    for (const key of ['userPool', 'userPoolClients', 'newUserPool'] as const) {
      if (inputs[key] !== undefined) {
        throw new GatehouseConfigError(
          `${key} is not used with auth "${mode.mode}": that mode reads no Cognito token. Remove ${key}, or choose ` +
            'auth cognito or the Lambda email allow-list',
          scope,
        );
      }
    }
    return undefined;
  }
  if (inputs.userPool === undefined) {
    if (inputs.userPoolClients !== undefined) {
      throw new GatehouseConfigError('userPoolClients needs its userPool: pass both, or neither for a new pool', scope);
    }
    return createPool(scope, inputs.newUserPool ?? {});
  }
  if (inputs.newUserPool !== undefined) {
    throw new GatehouseConfigError('newUserPool configures a pool gatehouse creates, but a userPool was passed', scope);
  }
  const clients = inputs.userPoolClients ?? [];
  if (clients.length === 0) {
    throw new GatehouseConfigError(
      'userPoolClients is empty: give the app client(s) whose tokens the API accepts ' +
        '(Amplify Gen 2: backend.auth.resources.userPoolClient; or UserPoolClient.fromUserPoolClientId)',
      scope,
    );
  }
  return { userPool: inputs.userPool, clients, region: poolRegion(scope, inputs.userPool) };
}

function poolRegion(scope: Construct, pool: IUserPool): string {
  const poolId = pool.userPoolId;
  if (Token.isUnresolved(poolId)) return pool.env.region;
  try {
    return userPoolRegion(poolId);
  } catch (error) {
    throw new GatehouseConfigError(`userPool: ${(error as Error).message}`, scope, { cause: error });
  }
}

function createPool(scope: Construct, options: NewUserPoolOptions): Identity {
  const removalPolicy = options.removalPolicy ?? RemovalPolicy.RETAIN;
  // Same construct path as earlier releases, so an update keeps the pool (and its users) in place.
  const userPool = new UserPool(new Construct(scope, 'Identity'), 'UserPool', {
    selfSignUpEnabled: options.selfSignUp ?? false,
    signInAliases: { email: true },
    autoVerify: { email: true },
    standardAttributes: { email: { required: true, mutable: true } },
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    removalPolicy,
  });
  const client = userPool.addClient('WebClient', {
    authFlows: { userSrp: true },
    // The web app signs in with SRP (Amplify's default), never through the hosted UI; CDK's
    // default would otherwise enable the implicit flow with an example.com callback.
    disableOAuth: true,
    generateSecret: false,
    preventUserExistenceErrors: true,
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(30),
    enableTokenRevocation: true,
  });
  client.applyRemovalPolicy(removalPolicy);
  Validations.of(userPool).acknowledge(
    {
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is left to the application owner: requiring it on a pool created for a first deploy locks out the demo ' +
        'user; turn it on in the Cognito console or pass an existing pool that enforces it.',
    },
    {
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan is a per-user cost decision for the account owner; the pool works on the ' +
        'Essentials plan and can be upgraded in place.',
    },
  );
  return { userPool, clients: [client], region: Stack.of(scope).region };
}
