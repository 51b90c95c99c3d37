/**
 * A project with job routes, synthesised with cdk-nag: the jobs table, the runner with its timeout,
 * reserved concurrency and asynchronous-invoke settings, least-privilege IAM for the edge and the
 * runner, the alarms, the table's output — and nothing of it for a project without job routes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveProjectConfig } from '@gatehouse/contract';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { GatehouseStack, STACK_OUTPUTS } from '../src/gatehouse-stack';
import { ENV, synthChecked, testApp } from './synth';

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-jobs-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(withJobs: boolean) {
  return resolveProjectConfig({
    name: 'reports',
    origins: ['https://reports.example.com'],
    routes: {
      'POST /summaries': {
        core: 'summarise',
        schema: z.object({ text: z.string() }),
        ...(withJobs ? { job: { timeoutSeconds: 600, maxConcurrent: 3 } } : {}),
      },
      'POST /drafts': {
        core: 'summarise',
        schema: z.object({ text: z.string() }),
        ...(withJobs ? { job: { timeoutSeconds: 120, maxConcurrent: 2 } } : {}),
      },
      'POST /quick': { core: 'quick', schema: z.object({ text: z.string() }) },
    },
    cores: {
      summarise: { runtime: 'python3.12', code: dir, handler: 'app.handler', timeoutSeconds: 900 },
      quick: { runtime: 'python3.12', code: dir, handler: 'app.handler' },
    },
  });
}

function synth(withJobs: boolean): Template {
  const app = testApp();
  const stack = new GatehouseStack(app, withJobs ? 'Jobs' : 'NoJobs', {
    env: ENV,
    gatehouse: {
      project: project(withJobs),
      edgeCode: Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
    },
  });
  return (synthChecked(app, [stack]) as [Template])[0];
}

describe('a project with job routes', () => {
  let template: Template;
  beforeAll(() => {
    writeFileSync(path.join(dir, 'app.py'), 'def handler(event, context):\n    return {"ok": True}\n');
    template = synth(true);
  }, 120_000);

  it('creates the jobs table: on demand, TTL, encrypted, point-in-time recovery off', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'jobId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
  });

  it('creates the runner: longest job + margin, maxConcurrent summed, no retries, an on-failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('job runner'),
      Timeout: 630,
      ReservedConcurrentExecutions: 5,
      Environment: {
        Variables: Match.objectLike({
          JOBS_TABLE: Match.anyValue(),
          JOB_SERVICE: 'reports-jobs',
          CORE_TARGETS: Match.anyValue(),
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.resourceCountIs('AWS::SQS::Queue', 1);
  });

  it('gives the job core its job timeout, and a normal route’s core the edge deadline', () => {
    const timeouts = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Runtime: 'python3.12' },
      }),
    ).map((fn) => fn.Properties.Timeout);
    expect(timeouts.sort((a, b) => a - b)).toEqual([8, 600]);
  });

  it('names the table and the runner in the edge’s environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('gatehouse edge'),
      Environment: { Variables: Match.objectLike({ JOBS_TABLE: Match.anyValue(), JOB_RUNNER: Match.anyValue() }) },
    });
  });

  it('lets the edge put, get and update jobs and invoke the runner; the runner only update jobs and invoke the job core', () => {
    const statements = (role: string) =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Action: unknown }>);
    const edge = statements('EdgeRole');
    expect(edge.find((s) => s.Sid === 'SubmitAndReadJobs')?.Action).toEqual([
      'dynamodb:PutItem',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(edge.find((s) => s.Sid === 'StartJobs')?.Action).toBe('lambda:InvokeFunction');
    const runner = statements('RunnerRole');
    expect(runner.find((s) => s.Sid === 'RecordJobs')?.Action).toBe('dynamodb:UpdateItem');
    const invoke = runner.find((s) => s.Sid === 'InvokeCoresOnly') as { Resource: unknown[] } | undefined;
    expect(JSON.stringify(invoke?.Resource).toLowerCase()).toContain('summarise');
    expect(JSON.stringify(invoke?.Resource).toLowerCase()).not.toContain('quick');
    const actions = [...edge, ...runner].flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
  });

  it('alarms on failed jobs, jobs queued too long, dropped events and runner errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'JobFailures',
      Namespace: 'Gatehouse',
      Dimensions: [{ Name: 'Service', Value: 'reports-jobs' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AsyncEventAge',
      Threshold: 300_000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AsyncEventsDropped' });
  });

  it('serves GET /jobs/{jobId} once, behind the authorizer, and outputs the table name', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const jobs = routes.filter((r) => r.Properties.RouteKey === 'GET /jobs/{jobId}');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.Properties.AuthorizationType).toBe('JWT');
    template.hasOutput(STACK_OUTPUTS.jobsTableName, {});
  });
});

describe('a project without job routes', () => {
  it('deploys no table, runner or jobs route', () => {
    writeFileSync(path.join(dir, 'app.py'), 'def handler(event, context):\n    return {"ok": True}\n');
    const template = synth(false);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((r) => r.Properties.RouteKey)).not.toContain('GET /jobs/{jobId}');
  }, 120_000);
});
