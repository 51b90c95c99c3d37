/**
 * A deployed core's access to AWS, synthesised with cdk-nag: the config's `permissions` on the
 * core's own role (each wildcard acknowledged with the config's reason, so nag passes), the
 * config's `architecture`, and the opt-in `developerAccess` that names the role and lets the
 * given principals assume it — by default only Lambda may.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveProjectConfig } from '@gatehouse/contract';
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { ArnPrincipal, type IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { GatehouseApi } from '../src/gatehouse-api';
import { ENV, synthChecked, testApp } from './synth';

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-core-access-'));
mkdirSync(path.join(dir, 'ask'));
writeFileSync(path.join(dir, 'ask', 'handler.py'), 'def handler(event, context):\n    return {}\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL = 'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';
const LISTING_REASON = 'ListFoundationModels has no resource-level permissions.';
const DEVELOPERS = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef';

function synth(core: Record<string, unknown>, developerAccess?: IPrincipal[]): Template {
  const project = resolveProjectConfig({
    name: 'shop',
    routes: { 'GET /ask': { core: 'ask' } },
    cores: { ask: { runtime: 'python3.12', code: './ask', handler: 'handler.handler', ...core } },
    origins: ['https://shop.example.com'],
  });
  const app = testApp();
  const stack = new Stack(app, 'Shop', { env: ENV });
  new GatehouseApi(stack, 'Gatehouse', {
    project,
    configFile: path.join(dir, 'gatehouse.config.ts'),
    edgeCode: Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
    ...(developerAccess ? { developerAccess } : {}),
  });
  return (synthChecked(app, [stack]) as [Template])[0];
}

function coreRole(template: Template): { Properties: Record<string, unknown> } {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: 'gatehouse core ask' } });
  const [role] = Object.values(roles);
  if (!role) throw new Error('no role for core ask');
  return role as { Properties: Record<string, unknown> };
}

function coreStatements(template: Template): Array<{ Action: unknown; Resource: unknown }> {
  const roleId = Object.keys(
    template.findResources('AWS::IAM::Role', { Properties: { Description: 'gatehouse core ask' } }),
  )[0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(String(roleId)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe("a core's permissions, architecture and developer access on AWS", () => {
  it("adds the config's statements to the core's role, and nag passes with the reason given for a * resource", () => {
    // Act
    const template = synth({
      permissions: [
        { actions: ['bedrock:InvokeModel'], resources: [MODEL] },
        { actions: ['bedrock:ListFoundationModels'], resources: ['*'], reason: LISTING_REASON },
      ],
      architecture: 'x86_64',
    });

    // Assess
    expect(coreStatements(template)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'bedrock:InvokeModel', Effect: 'Allow', Resource: MODEL }),
        expect.objectContaining({ Action: 'bedrock:ListFoundationModels', Effect: 'Allow', Resource: '*' }),
      ]),
    );
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'python3.12', Architectures: ['x86_64'] });
  }, 60_000);

  it('without developerAccess only Lambda may assume the role, and it has no fixed name', () => {
    // Act
    const role = coreRole(synth({}));

    // Assess
    expect(role.Properties.RoleName).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      Version: '2012-10-17',
    });
  }, 60_000);

  it("with developerAccess the role is named <project>-<core>-core and trusts the developers' principal", () => {
    // Act
    const role = coreRole(synth({}, [new ArnPrincipal(DEVELOPERS)]));

    // Assess
    expect(role.Properties.RoleName).toBe('shop-ask-core');
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(DEVELOPERS);
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('lambda.amazonaws.com');
  }, 60_000);
});
