/**
 * The shape of an Amplify Gen 2 backend, reproduced with plain CDK: `defineBackend` makes a root
 * stack, puts `auth` in a nested stack, and `backend.createStack('Gatehouse')` adds another nested
 * stack beside it; the construct receives `backend.auth.resources.userPool` and `userPoolClient`.
 * `@aws-amplify/backend` itself is not installed (it pulls the Data/GraphQL transformers and AWS SDK
 * clients, and its synth needs the ampx CLI's context), so this proves the wiring, not the library.
 */
import { sampleApiProps } from '@gatehouse/testing';
import { NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatehouseApi } from '../src/gatehouse-api';
import { ENV, synthChecked, testApp } from './synth';

describe('GatehouseApi inside an Amplify Gen 2 backend', () => {
  let gatehouse: Template;
  let root: Template;
  beforeAll(() => {
    // Prepare: what defineBackend({ auth }) builds
    const app = testApp();
    const backend = new Stack(app, 'amplify-myapp-main-branch', { env: ENV });
    const auth = new NestedStack(backend, 'auth');
    const userPool = new UserPool(auth, 'UserPool', { selfSignUpEnabled: true, signInAliases: { email: true } });
    const userPoolClient = userPool.addClient('UserPoolAppClient', { authFlows: { userSrp: true } });
    // Act: what the user writes in amplify/backend.ts
    const stack = new NestedStack(backend, 'Gatehouse');
    new GatehouseApi(stack, 'Gatehouse', {
      ...sampleApiProps(),
      allowedOrigins: ['https://main.d1abcdef.amplifyapp.com'],
      userPool,
      userPoolClients: [userPoolClient],
    });
    acknowledgeAmplifyOwnedPool(userPool);
    [root] = synthChecked(app, [backend]) as [Template];
    gatehouse = Template.fromStack(stack);
  });

  it('trusts the Amplify pool and client, passed across the nested stacks', () => {
    gatehouse.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: {
        Audience: [{ Ref: Match.stringLikeRegexp('UserPoolAppClient') }],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', { Ref: Match.anyValue() }]] },
      },
    });
    gatehouse.resourceCountIs('AWS::Cognito::UserPool', 0);
    const nested = Object.values(root.findResources('AWS::CloudFormation::Stack'));
    expect(nested).toHaveLength(2);
  });

  it('adds the edge and the sample core to the Gatehouse stack, not to auth, and no pool of its own', () => {
    gatehouse.resourceCountIs('AWS::Lambda::Function', 2);
    gatehouse.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    gatehouse.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
  });
});

/** Amplify owns this pool's settings; the nag findings on it are Amplify's to answer, not gatehouse's. */
function acknowledgeAmplifyOwnedPool(pool: UserPool): void {
  for (const id of ['AwsSolutions-COG1', 'AwsSolutions-COG2', 'AwsSolutions-COG8']) {
    Validations.of(pool).acknowledge({ id, reason: 'stands in for the pool Amplify Gen 2 creates and configures' });
  }
}
