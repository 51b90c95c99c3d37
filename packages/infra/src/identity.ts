/**
 * Who signs the callers in: a user pool created here, an existing pool named by id (the usual case
 * for an Amplify app that already has users), or pool constructs from elsewhere in the same CDK app
 * (an Amplify Gen 2 backend passes `backend.auth.resources.userPool`).
 *
 * The JWT authorizer trusts exactly one issuer, `https://cognito-idp.<region>.amazonaws.com/<pool>`,
 * and the region there is the pool's, not the stack's: an imported pool id carries its region before
 * the `_`, and that is what the authorizer is given.
 */
import { userPoolRegion } from '@gatehouse/contract';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type IUserPool,
  type IUserPoolClient,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { GatehouseConfigError } from './errors';

export type UserPoolSource =
  | {
      kind: 'new';
      /** Let anyone with an email address sign up (the demo); otherwise administrators create users. */
      selfSignUp?: boolean;
      /** Default RETAIN: a `destroy` should not take the users with it unless asked. */
      removalPolicy?: RemovalPolicy;
    }
  | { kind: 'existing'; userPoolId: string; clientIds: readonly string[] }
  | { kind: 'constructs'; userPool: IUserPool; clients: readonly IUserPoolClient[] };

export interface Identity {
  userPool: IUserPool;
  /** Audiences the authorizer accepts; the first is the web app's client. */
  clients: readonly IUserPoolClient[];
  /** Region of the pool (for the issuer and the web app's configuration). */
  region: string;
}

export class GatehouseIdentity extends Construct {
  readonly identity: Identity;

  constructor(scope: Construct, id: string, source: UserPoolSource) {
    super(scope, id);
    this.identity = this.resolve(source);
  }

  private resolve(source: UserPoolSource): Identity {
    switch (source.kind) {
      case 'new':
        return this.createPool(source);
      case 'existing':
        return this.importPool(source.userPoolId, source.clientIds);
      case 'constructs': {
        if (source.clients.length === 0) {
          throw new GatehouseConfigError(
            'userPool.clients is empty: give the app client(s) whose tokens the API accepts',
          );
        }
        const poolId = source.userPool.userPoolId;
        const region = Token.isUnresolved(poolId) ? source.userPool.env.region : userPoolRegion(poolId);
        return { userPool: source.userPool, clients: source.clients, region };
      }
    }
  }

  private importPool(userPoolId: string, clientIds: readonly string[]): Identity {
    let region: string;
    try {
      region = userPoolRegion(userPoolId);
    } catch (error) {
      throw new GatehouseConfigError(`userPool.userPoolId: ${(error as Error).message}`);
    }
    if (clientIds.length === 0) {
      throw new GatehouseConfigError(
        `userPool.clientIds is empty: give the id of the app client your web app signs in with ` +
          `(Cognito console → ${userPoolId} → App clients, or amplify_outputs.json "user_pool_client_id")`,
      );
    }
    const userPool = UserPool.fromUserPoolId(this, 'UserPool', userPoolId);
    const clients = clientIds.map((clientId, i) => UserPoolClient.fromUserPoolClientId(this, `Client${i}`, clientId));
    return { userPool, clients, region };
  }

  private createPool(source: Extract<UserPoolSource, { kind: 'new' }>): Identity {
    const userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: source.selfSignUp ?? true,
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
      deletionProtection: (source.removalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.RETAIN,
      removalPolicy: source.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const client = userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });
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
    return { userPool, clients: [client], region: Stack.of(this).region };
  }
}
