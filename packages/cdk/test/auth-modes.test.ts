import { AUTH_MODE_REQUEST_HEADERS, type AuthOption, LAMBDA_AUTHORIZER } from '@gatehouse/contract';
import { SAMPLE_API, sampleApiProps } from '@gatehouse/testing';
import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatehouseConfigError } from '../src/errors';
import { GatehouseApi } from '../src/gatehouse-api';
import { GatehouseAuth } from '../src/gatehouse-auth';
import { GatehouseStack } from '../src/gatehouse-stack';
import { ENV, synthChecked, testApp } from './synth';

const MODES = {
  emails: GatehouseAuth.lambdaEmailAllowList(['ana@example.com', '@example.org']),
  keys: GatehouseAuth.lambdaApiKeys(),
  iam: GatehouseAuth.iam(),
  none: GatehouseAuth.none({ acknowledgePublic: true }),
} satisfies Record<string, GatehouseAuth>;

describe('the auth option', () => {
  const templates = {} as Record<keyof typeof MODES, Template>;
  let warnings: string[] = [];
  beforeAll(() => {
    // Prepare: one app, one stack per mode, one synth (cdk-nag and the validator on)
    const app = testApp();
    const names = Object.keys(MODES) as (keyof typeof MODES)[];
    const stacks = names.map(
      (name) =>
        new GatehouseStack(app, `Auth-${name}`, {
          env: ENV,
          gatehouse: { ...sampleApiProps(), allowedOrigins: 'https://app.example.com', auth: MODES[name] },
        }),
    );
    const iamStack = stacks[names.indexOf('iam')] as GatehouseStack;
    iamStack.gatehouse.grantInvoke(
      new Role(iamStack, 'Caller', { assumedBy: new ServicePrincipal('states.amazonaws.com') }),
    );
    // Act
    const synthesised = synthChecked(app, stacks);
    names.forEach((name, i) => {
      templates[name] = synthesised[i] as Template;
    });
    warnings = stacks.flatMap((s) =>
      s.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data))),
    );
  });

  it('puts a Lambda authorizer with simple responses and a cached identity source in front of the route', () => {
    templates.emails.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: [LAMBDA_AUTHORIZER.identitySource['email-allowlist']],
      AuthorizerResultTtlInSeconds: LAMBDA_AUTHORIZER.resultsCacheTtlSeconds,
    });
    templates.emails.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AUTHORIZER_MODE: 'email-allowlist',
          ALLOWED_EMAILS: 'ana@example.com,@example.org',
          TOKEN_USE: 'id',
        }),
      },
    });
    templates.emails.hasResourceProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'CUSTOM' });
  });

  it('lets the API-key authorizer read exactly the keys parameter, and lets browsers send the key header', () => {
    templates.keys.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      IdentitySource: [LAMBDA_AUTHORIZER.identitySource['api-key']],
    });
    templates.keys.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReadApiKeys',
            Action: 'ssm:GetParameter',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  `:ssm:eu-west-1:123456789012:parameter${LAMBDA_AUTHORIZER.defaultKeysParameter}`,
                ],
              ],
            },
          }),
          Match.objectLike({
            Sid: 'DecryptApiKeysThroughSsm',
            Condition: { StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } },
          }),
        ]),
      },
    });
    templates.keys.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowHeaders: [...SAMPLE_API.cors.allowHeaders, ...AUTH_MODE_REQUEST_HEADERS.lambda] },
    });
  });

  it('uses AWS_IAM authorization and allows the SigV4 headers in IAM mode', () => {
    templates.iam.hasResourceProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'AWS_IAM' });
    templates.iam.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    const grant = JSON.stringify(
      Object.values(templates.iam.findResources('AWS::IAM::Policy')).find((p) =>
        JSON.stringify(p).includes('execute-api:Invoke'),
      ),
    );
    expect(grant).toContain(`/${SAMPLE_API.stage}/POST/inference`);
    expect(grant).not.toContain('"*"');
    templates.iam.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowHeaders: Match.arrayWith([...AUTH_MODE_REQUEST_HEADERS.iam]) },
    });
  });

  it('tells the edge which identity source to trust in each mode', () => {
    const edgeAuthMode = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .map((r) => (r as { Properties: { Environment?: { Variables?: Record<string, string> } } }).Properties)
        .find((p) => p.Environment?.Variables?.CORE_TARGETS !== undefined)?.Environment?.Variables?.AUTH_MODE;
    expect([templates.emails, templates.keys, templates.iam, templates.none].map(edgeAuthMode)).toEqual([
      'lambda',
      'lambda',
      'iam',
      'none',
    ]);
  });

  it('creates no user pool, nor client, in the modes that read no Cognito token', () => {
    for (const mode of ['keys', 'iam', 'none'] as const) {
      templates[mode].resourceCountIs('AWS::Cognito::UserPool', 0);
      templates[mode].resourceCountIs('AWS::Cognito::UserPoolClient', 0);
      expect(Object.keys(templates[mode].findOutputs('UserPoolId'))).toEqual([]);
    }
    templates.emails.resourceCountIs('AWS::Cognito::UserPool', 1);
  });

  it('logs the caller from the variable of the mode that admitted it', () => {
    const format = (template: Template) =>
      String(Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]?.Properties.AccessLogSettings.Format);
    expect(format(templates.emails)).toContain('"sub":"$context.authorizer.sub"');
    expect(format(templates.iam)).toContain('"sub":"$context.identity.userArn"');
    expect(format(templates.none)).not.toContain('"sub"');
  });

  it('alarms on the Lambda authorizer’s errors over several datapoints', () => {
    templates.keys.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('Authorizer') } }],
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
    });
  });

  it('leaves the route open in acknowledged public mode, and warns at synth', () => {
    templates.none.hasResourceProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'NONE' });
    expect(warnings.some((w) => w.includes('the API is public'))).toBe(true);
  });
});

describe('the auth option refuses', () => {
  const build = (auth: AuthOption) => () =>
    new GatehouseApi(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S', { env: ENV }), 'G', {
      ...sampleApiProps(),
      allowedOrigins: 'https://app.example.com',
      auth: GatehouseAuth.fromOption(auth),
    });

  it('required groups where callers have none (iam, none)', () => {
    const withGroups = (auth: AuthOption) => () =>
      new GatehouseApi(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S', { env: ENV }), 'G', {
        ...sampleApiProps(),
        allowedOrigins: 'https://app.example.com',
        auth: GatehouseAuth.fromOption(auth),
        requiredGroups: ['admins'],
      });
    expect(withGroups({ mode: 'iam' })).toThrow(/requiredGroups cannot be used with auth "iam".*IAM policies/);
    expect(withGroups({ mode: 'none', acknowledgePublic: true })).toThrow(GatehouseConfigError);
  });

  it('a public API without the acknowledgement', () => {
    expect(build({ mode: 'none', acknowledgePublic: false })).toThrow(GatehouseConfigError);
    expect(build({ mode: 'none', acknowledgePublic: false })).toThrow(/acknowledgePublic: true/);
  });

  it('an email allow-list with no emails', () => {
    expect(build({ mode: 'lambda', lambda: { kind: 'email-allowlist', allowedEmails: [] } })).toThrow(
      /allowedEmails is empty/,
    );
  });

  it('a keys parameter that is not an absolute SSM path', () => {
    expect(build({ mode: 'lambda', lambda: { kind: 'api-key', keysParameterName: 'keys' } })).toThrow(
      /absolute SSM path/,
    );
  });
});
