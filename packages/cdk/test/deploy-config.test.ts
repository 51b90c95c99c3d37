import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleApiProps } from '@gatehouse/testing';
import { describe, expect, it } from 'vitest';
import { DEV_ORIGIN, readDeployConfig, toStackProps } from '../src/deploy-config';
import { GatehouseConfigError } from '../src/errors';

const SAMPLE = sampleApiProps().project;
const toGatehouseProps = (config: ReturnType<typeof readDeployConfig>) => toStackProps(config, SAMPLE);
const authOf = (config: ReturnType<typeof readDeployConfig>) => toGatehouseProps(config).gatehouse.auth?.option;

function dirWith(config: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-config-'));
  writeFileSync(path.join(dir, 'gatehouse.deploy.json'), JSON.stringify(config));
  return dir;
}

const noContext = () => undefined;

describe('the app configuration', () => {
  it('reads the config file and lets --context values override it', () => {
    // Prepare
    const dir = dirWith({
      allowedOrigins: ['https://app.example.com'],
      userPoolId: 'eu-west-1_AbCdEf123',
      userPoolClientIds: 'client1',
      coreFunction: 'billing-core',
      edgeTimeoutSeconds: 12,
    });
    const context = (key: string) => ({ edgeTimeoutSeconds: '15', tracing: 'true' })[key];
    // Act
    const props = toGatehouseProps(readDeployConfig(context, dir));
    // Assess
    expect(props).toMatchObject({
      existingUserPool: { userPoolId: 'eu-west-1_AbCdEf123', clientIds: ['client1'] },
      gatehouse: { allowedOrigins: ['https://app.example.com'], tracing: true },
    });
    expect(props.gatehouse.project.cores).toMatchObject([{ name: 'figures', existing: 'billing-core' }]);
    expect(props.gatehouse.edgeTimeout?.toSeconds()).toBe(15);
  });

  it('defaults to a new pool, the project’s own cores and auth, and the local web app’s origin', () => {
    const props = toGatehouseProps(readDeployConfig(noContext, mkdtempSync(path.join(tmpdir(), 'gatehouse-empty-'))));
    expect(props.existingUserPool).toBeUndefined();
    expect(props.gatehouse).toMatchObject({ allowedOrigins: [DEV_ORIGIN], auth: undefined, project: SAMPLE });
  });

  it('opens sign-up only when asked, and refuses it next to an existing pool', () => {
    expect(
      toGatehouseProps(readDeployConfig((k) => (k === 'selfSignUp' ? 'true' : undefined), dirWith({}))).gatehouse,
    ).toMatchObject({ newUserPool: { selfSignUp: true } });
    const both = readDeployConfig(
      noContext,
      dirWith({ selfSignUp: true, userPoolId: 'eu-west-1_AbCdEf123', userPoolClientIds: ['c'] }),
    );
    expect(() => toGatehouseProps(both)).toThrow(/selfSignUp applies to a pool gatehouse creates/);
  });

  it('takes "none" or a number for the edge’s reserved concurrency', () => {
    const read = (value: string) =>
      readDeployConfig((k) => (k === 'edgeReservedConcurrency' ? value : undefined), dirWith({}));
    expect(read('none').edgeReservedConcurrency).toBe('none');
    expect(read('40').edgeReservedConcurrency).toBe(40);
    expect(() => read('lots')).toThrow(/edgeReservedConcurrency must be a number/);
  });

  it('lets named developers assume the cores’ roles, and refuses what is not an IAM principal ARN', () => {
    // Prepare
    const role = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef';
    // Act
    const props = toGatehouseProps(readDeployConfig(noContext, dirWith({ developerAccess: [role] })));
    const bad = () => toGatehouseProps(readDeployConfig(noContext, dirWith({ developerAccess: 'alice' })));
    // Assess
    expect(props.gatehouse.developerAccess?.map((p) => p.arn)).toEqual([role]);
    expect(toGatehouseProps(readDeployConfig(noContext, dirWith({}))).gatehouse.developerAccess).toBeUndefined();
    expect(bad).toThrow('developerAccess: "alice" is not an IAM role, user or account ARN');
  });

  it('refuses an unknown key, so a typo never deploys the default', () => {
    expect(() => readDeployConfig(noContext, dirWith({ allowedOrigin: 'https://a.example' }))).toThrow(
      /unknown key "allowedOrigin"/,
    );
  });

  it('refuses a pool id without its client ids', () => {
    const config = readDeployConfig(noContext, dirWith({ userPoolId: 'eu-west-1_AbCdEf123' }));
    expect(() => toGatehouseProps(config)).toThrow(GatehouseConfigError);
  });

  it('refuses a value of the wrong type', () => {
    expect(() => readDeployConfig((k) => (k === 'edgeMemoryMb' ? 'lots' : undefined), dirWith({}))).toThrow(
      /edgeMemoryMb must be a number/,
    );
  });

  it('names a missing explicit config file', () => {
    expect(() => readDeployConfig((k) => (k === 'config' ? 'nope.json' : undefined), dirWith({}))).toThrow(
      /does not exist/,
    );
  });
});

describe('the auth keys of the app configuration', () => {
  it('maps auth, lambdaAuthorizer and allowedEmails to the construct’s auth option', () => {
    const config = readDeployConfig(
      noContext,
      dirWith({ auth: 'lambda', lambdaAuthorizer: 'email-allowlist', allowedEmails: 'a@example.com, @example.org' }),
    );
    expect(authOf(config)).toEqual({
      mode: 'lambda',
      lambda: { kind: 'email-allowlist', allowedEmails: ['a@example.com', '@example.org'] },
    });
  });

  it('passes the public acknowledgement through, and refuses an unknown mode', () => {
    const config = readDeployConfig((k) => ({ auth: 'none', acknowledgePublic: 'true' })[k], dirWith({}));
    expect(authOf(config)).toEqual({ mode: 'none', acknowledgePublic: true });
    expect(() => toGatehouseProps(readDeployConfig(noContext, dirWith({ auth: 'oauth' })))).toThrow(
      /auth must be one of/,
    );
    expect(() => toGatehouseProps(readDeployConfig(noContext, dirWith({ auth: 'lambda' })))).toThrow(
      /lambdaAuthorizer/,
    );
  });

  it.each([
    [
      { allowedEmails: '@corp.com' },
      /allowedEmails only applies with auth "lambda", but auth is "cognito" \(the default\)/,
    ],
    [{ auth: 'iam', lambdaAuthorizer: 'api-key' }, /lambdaAuthorizer only applies with auth "lambda"/],
    [{ auth: 'cognito', apiKeysParameter: '/keys' }, /apiKeysParameter only applies/],
    [
      { auth: 'lambda', lambdaAuthorizer: 'api-key', acknowledgePublic: true },
      /acknowledgePublic only applies with auth "none"/,
    ],
  ])('refuses a setting of another mode instead of deploying without it: %j', (file, message) => {
    expect(() => toGatehouseProps(readDeployConfig(noContext, dirWith(file)))).toThrow(message);
  });
});
