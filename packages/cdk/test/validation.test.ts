import { resolveProjectConfig } from '@gatehouse/contract';
import { InferenceRequestSchema } from '@gatehouse/example-figures/schema';
import { sampleApiProps } from '@gatehouse/testing';
import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { existingCoreArn } from '../src/core-functions';
import { GatehouseConfigError } from '../src/errors';
import { GatehouseApi, type GatehouseApiProps } from '../src/gatehouse-api';
import { APP_CONTEXT } from '../src/gatehouse-app';
import { GatehouseAuth } from '../src/gatehouse-auth';
import { ENV, STRICT_VALIDATION } from './synth';

/** A project whose one route calls an existing core. */
function existingCore(ref: string): Partial<GatehouseApiProps> {
  return {
    project: resolveProjectConfig({
      routes: { 'POST /inference': { core: 'main', schema: InferenceRequestSchema } },
      cores: { main: { runtime: 'python3.12', code: '.', handler: 'app.handler', existing: ref } },
    }),
  };
}

/** Building the construct is enough: every check runs in its constructor, before any synth. */
function build(
  props: Partial<GatehouseApiProps> | ((stack: Stack) => Partial<GatehouseApiProps>),
  env: { region?: string } = ENV,
): () => void {
  return () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S', { env });
    const given = typeof props === 'function' ? props(stack) : props;
    new GatehouseApi(stack, 'G', { ...sampleApiProps(), allowedOrigins: 'https://app.example.com', ...given });
  };
}

const poolWithoutRegion = (stack: Stack) => ({
  userPool: UserPool.fromUserPoolId(stack, 'P', 'AbCdEf123'),
  userPoolClients: [UserPool.fromUserPoolId(stack, 'P2', 'eu-west-1_AbCdEf123').addClient('C')],
});

describe('GatehouseApi refuses, at synth, configurations that would fail at run time', () => {
  it.each([
    ['"*" as an origin', { allowedOrigins: '*' }, /allowedOrigins: "\*" is not accepted/],
    ['an origin with a path', { allowedOrigins: 'https://app.example.com/' }, /not a bare origin/],
    ['no origins', { allowedOrigins: [] }, /allowed origins is empty/],
    [
      'a pool in a mode that reads no token',
      { auth: GatehouseAuth.iam(), newUserPool: {} },
      /newUserPool is not used with auth "iam"/,
    ],
    [
      'a pool without its clients',
      (stack: Stack) => ({ userPool: UserPool.fromUserPoolId(stack, 'P', 'eu-west-1_AbCdEf123') }),
      /userPoolClients is empty/,
    ],
    [
      'an edge timeout at the 30 s integration ceiling',
      { edgeTimeout: Duration.seconds(30) },
      /below API Gateway's 30 s/,
    ],
    ['an edge timeout in fractions of a second', { edgeTimeout: Duration.millis(2500) }, /whole number of seconds/],
    [
      'a core deadline that leaves the edge no time to answer',
      { edgeTimeout: Duration.seconds(5), coreTimeout: Duration.millis(4500) },
      /coreTimeout \(4500 ms\) must end at least 1000 ms before edgeTimeout \(5000 ms\)/,
    ],
    ['a stage name the HTTP API cannot serve', { stageName: '$default' }, /stageName "\$default"/],
    ['edge memory out of range', { edgeMemorySize: 64 }, /edgeMemorySize must be/],
    ['a pool id without its region', poolWithoutRegion, /userPool: "AbCdEf123" is not a Cognito user pool id/],
    [
      'a core ARN with an alias',
      existingCore('arn:aws:lambda:eu-west-1:123456789012:function:core:live'),
      /names a version or alias/,
    ],
    [
      'a core in another region',
      existingCore('arn:aws:lambda:us-east-1:123456789012:function:core'),
      /core "main" is in us-east-1 but the stack deploys to eu-west-1/,
    ],
    [
      'a core in another account, unacknowledged',
      existingCore('arn:aws:lambda:eu-west-1:210987654321:function:core'),
      /core "main" is in account 210987654321 but the stack deploys to 123456789012.*resource policy.*acknowledgeCrossAccountCores/,
    ],
    [
      'a core name the routes do not use',
      (stack: Stack) => ({ cores: { other: LambdaFunction.fromFunctionName(stack, 'X', 'other') } }),
      /cores.other is not a core the routes use/,
    ],
  ] satisfies [string, Partial<GatehouseApiProps> | ((stack: Stack) => Partial<GatehouseApiProps>), RegExp][])(
    '%s',
    (_name, props, message) => {
      // Act + Assess
      expect(build(props)).toThrow(GatehouseConfigError);
      expect(build(props)).toThrow(message);
    },
  );

  it('names the construct path in the error', () => {
    expect(build({ stageName: '$default' })).toThrow(/\(at S\/G\)$/);
  });

  it('accepts a core in another account once acknowledged', () => {
    expect(
      build({
        ...existingCore('arn:aws:lambda:eu-west-1:210987654321:function:core'),
        acknowledgeCrossAccountCores: true,
      }),
    ).not.toThrow();
  });

  it('accepts the tightest valid deadlines', () => {
    expect(build({ edgeTimeout: Duration.seconds(29), coreTimeout: Duration.seconds(28) })).not.toThrow();
  });
});

describe('existingCoreArn', () => {
  it('turns a function name into an ARN in the stack’s own account and region', () => {
    // Prepare
    const stack = new Stack(new App(), 'S', { env: ENV });
    // Act
    const arn = existingCoreArn(stack, 'billing-core');
    // Assess
    expect(stack.resolve(arn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:eu-west-1:123456789012:function:billing-core']],
    });
  });

  it('keeps an environment-agnostic stack’s ARN as references to the deploy-time account and region', () => {
    const stack = new Stack(new App(), 'S');
    const resolved = JSON.stringify(stack.resolve(existingCoreArn(stack, 'billing-core')));
    expect(resolved).toContain('AWS::Region');
    expect(resolved).toContain(':function:billing-core');
  });
});

describe('the template validator', () => {
  it('fails the synth on a template error under the flag the app sets, so a passing synth means no errors', () => {
    // Prepare: a stage CloudFormation would reject
    const app = new App({ context: STRICT_VALIDATION });
    new CfnResource(new Stack(app, 'Broken'), 'Stage', {
      type: 'AWS::ApiGatewayV2::Stage',
      properties: { ApiId: 'abc123', StageName: 'prod', AutoDeploy: 'sometimes' },
    });
    // Act + Assess
    expect(() => app.synth()).toThrow(/AutoDeploy: 'sometimes' is not of type 'boolean'/);
  }, 120_000);

  it('is the flag the app runs with', () => {
    expect(APP_CONTEXT).toMatchObject(STRICT_VALIDATION);
  });
});
