import { cognitoIssuer, resolveProjectConfig } from '@gatehouse/contract';
import { InferenceRequestSchema } from '@gatehouse/example-figures/schema';
import { SAMPLE_API, sampleApiProps } from '@gatehouse/testing';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatehouseStack } from '../src/gatehouse-stack';
import { FAILURE_OUTCOMES } from '../src/monitoring';
import { ENV, synthChecked, testApp } from './synth';

const POOL_ID = 'us-east-1_AbCdEf123';
const CORE_ARN = `arn:aws:lambda:${ENV.region}:123456789012:function:billing-core`;

describe('GatehouseApi with a new pool and the sample core', () => {
  let template: Template;
  beforeAll(() => {
    // Prepare
    const app = testApp();
    const stack = new GatehouseStack(app, 'New', {
      env: ENV,
      gatehouse: {
        ...sampleApiProps(),
        allowedOrigins: 'https://app.example.com, https://*',
        requiredGroups: ['analysts'],
      },
    });
    // Act
    [template] = synthChecked(app, [stack]) as [Template];
  });

  it('builds CORS from the contract with exactly the configured origins', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['https://app.example.com', 'https://*'],
        AllowMethods: [...SAMPLE_API.cors.allowMethods],
        AllowHeaders: [...SAMPLE_API.cors.allowHeaders],
        ExposeHeaders: [...SAMPLE_API.cors.exposeHeaders],
        MaxAge: SAMPLE_API.cors.maxAgeSeconds,
        AllowCredentials: false,
      },
    });
  });

  it('routes every contract route to the edge behind the JWT authorizer', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    expect(Object.values(routes).map((r) => r.Properties.RouteKey)).toEqual(
      SAMPLE_API.routes.map((r) => `${r.method} ${r.path}`),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: [SAMPLE_API.authorizer.identitySource],
      JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('deploys the contract stage with auto-deploy, throttling and JSON access logs', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(stage?.Properties).toMatchObject({
      StageName: SAMPLE_API.stage,
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const format = JSON.parse(
      stage?.Properties.AccessLogSettings.Format.replace(/\$context\.[\w.]+/g, (v: string) =>
        JSON.stringify(v),
      ).replace(/""/g, '"'),
    );
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integration.latency',
      authorizerError: '$context.authorizer.error',
      sub: '$context.authorizer.claims.sub',
      integrationStatus: '$context.integration.status',
      integrationError: '$context.integrationErrorMessage',
      errorMessage: '$context.error.message',
    });
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 3);
  });

  it('runs both functions on Node 22 arm64 and configures the edge from the props', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' },
      2,
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 10,
      MemorySize: 256,
      ReservedConcurrentExecutions: 100,
      Environment: {
        Variables: {
          CORE_TARGETS: {
            'Fn::Join': ['', ['figures=', { 'Fn::GetAtt': [Match.stringLikeRegexp('^GatehouseCore'), 'Arn'] }]],
          },
          AUTH_MODE: 'cognito',
          ALLOWED_ORIGINS: 'https://app.example.com,https://*',
          REQUIRED_TOKEN_USE: 'id',
          REQUIRED_GROUPS: 'analysts',
          CORE_TIMEOUT_MS: '8000',
          LOG_LEVEL: 'info',
          MAX_BODY_BYTES: '262144',
          NODE_OPTIONS: Match.absent(),
          FORWARD_TRACE_HEADER: Match.absent(),
        },
      },
    });
  });

  it('logs every function in Lambda’s JSON format with application and system levels', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' } },
      2,
    );
  });

  it('lets the edge invoke the sample core, its versions and aliases, and nothing else', () => {
    const invoke = invokeStatements(template);
    expect(invoke).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Sid: 'InvokeCoresOnly',
        Resource: [
          { 'Fn::GetAtt': [expect.stringMatching(/^GatehouseCore/), 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^GatehouseCore/), 'Arn'] }, ':*']] },
        ],
      },
    ]);
  });

  it('creates a user pool with an SRP web client and outputs what the web app needs', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(
      ['ApiUrl', 'EdgeRoleArn', 'Region', 'RouteUrl', 'UserPoolClientId', 'UserPoolId'].sort(),
    );
    const routeUrl = JSON.stringify(template.findOutputs('RouteUrl').RouteUrl?.Value);
    expect(routeUrl).toContain(`/${SAMPLE_API.stage}/inference`);
  });

  it('closes sign-up on the new pool, and keeps its client with it on destroy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const [pool] = Object.values(template.findResources('AWS::Cognito::UserPool'));
    const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    expect(pool?.DeletionPolicy).toBe('Retain');
    expect(client?.DeletionPolicy).toBe('Retain');
  });

  it('gives the web client no OAuth flow at all: no implicit grant, no example.com callback', () => {
    const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    expect(JSON.stringify(client)).not.toContain('example.com');
    expect(client?.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client?.Properties.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
  });

  it('alarms on 5xx, 4xx rate, p99 latency, the edge’s failed outcomes, edge errors and throttles', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const metrics = alarms.map((a) => a.Properties.MetricName ?? 'expression').sort();
    expect(metrics).toEqual(['5xx', 'Errors', 'Latency', 'Throttles', 'expression', 'expression'].sort());
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({ EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    }
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('judges real failures from the edge’s own outcome metric, with a minimum request count, not core errors', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const failureRate = alarms.find((a) => JSON.stringify(a).includes('"Namespace":"Gatehouse"'));
    const queries = failureRate?.Properties.Metrics as Array<{
      Expression?: string;
      MetricStat?: { Metric: { Namespace?: string; Dimensions: Array<{ Name: string; Value: string }> } };
    }>;
    const outcomes = queries.flatMap(
      (q) => q.MetricStat?.Metric.Dimensions.filter((d) => d.Name === 'Outcome').map((d) => d.Value) ?? [],
    );
    expect(outcomes.sort()).toEqual([...FAILURE_OUTCOMES].sort());
    expect(outcomes).toEqual(expect.arrayContaining(['core_failed', 'core_timeout', 'misconfigured']));
    expect(outcomes).not.toContain('core_invalid_input');
    expect(queries.find((q) => q.Expression)?.Expression).toMatch(/^IF\(requests >= 5, 100 \* \(/);
    const coreErrors = alarms.filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes('GatehouseCore'));
    expect(coreErrors).toEqual([]);
  });
});

describe('GatehouseApi with an existing pool and an existing core', () => {
  let template: Template;
  beforeAll(() => {
    const app = testApp();
    const stack = new GatehouseStack(app, 'Existing', {
      env: ENV,
      existingUserPool: { userPoolId: POOL_ID, clientIds: ['client1abc', 'client2def'] },
      gatehouse: {
        allowedOrigins: ['https://app.example.com'],
        project: resolveProjectConfig({
          routes: { 'POST /inference': { core: 'billing', schema: InferenceRequestSchema } },
          cores: { billing: { runtime: 'python3.12', code: './billing', handler: 'app.handler', existing: CORE_ARN } },
        }),
        tracing: true,
      },
      alarmTopicArn: `arn:aws:sns:${ENV.region}:123456789012:oncall`,
    });
    [template] = synthChecked(app, [stack]) as [Template];
  });

  it('trusts the pool’s own region in the issuer, not the stack’s, and every given client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: cognitoIssuer(POOL_ID), Audience: ['client1abc', 'client2def'] },
    });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(template.findOutputs('Region').Region?.Value).toBe('us-east-1');
  });

  it('creates no core function and grants invoke on exactly the given ARN and its qualifiers', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    expect(invokeStatements(template)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Sid: 'InvokeCoresOnly',
        Resource: [CORE_ARN, `${CORE_ARN}:*`],
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          CORE_TARGETS: `billing=${CORE_ARN}`,
          FORWARD_TRACE_HEADER: 'true',
        }),
      },
    });
  });

  it('sends every alarm to the SNS topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([`arn:aws:sns:${ENV.region}:123456789012:oncall`]);
    }
  });
});

function invokeStatements(template: Template): unknown[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return policies
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown }>)
    .filter((s) => JSON.stringify(s.Action).includes('lambda:'));
}
