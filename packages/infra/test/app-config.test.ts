import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_ORIGIN, readDeployConfig, toGatehouseProps } from '../src/app-config';
import { GatehouseConfigError } from '../src/errors';

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
      allowedOrigins: ['https://app.example.com'],
      userPool: { kind: 'existing', userPoolId: 'eu-west-1_AbCdEf123', clientIds: ['client1'] },
      core: { kind: 'existing', function: 'billing-core' },
      tracing: true,
    });
    expect(props.edgeTimeout?.toSeconds()).toBe(15);
  });

  it('defaults to a new pool, the sample core and the local web app’s origin', () => {
    const props = toGatehouseProps(readDeployConfig(noContext, mkdtempSync(path.join(tmpdir(), 'gatehouse-empty-'))));
    expect(props).toMatchObject({ allowedOrigins: [DEV_ORIGIN], userPool: { kind: 'new' }, core: { kind: 'sample' } });
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
    expect(toGatehouseProps(config).auth).toEqual({
      mode: 'lambda',
      lambda: { kind: 'email-allowlist', allowedEmails: ['a@example.com', '@example.org'] },
    });
  });

  it('passes the public acknowledgement through, and refuses an unknown mode', () => {
    const config = readDeployConfig((k) => ({ auth: 'none', acknowledgePublic: 'true' })[k], dirWith({}));
    expect(toGatehouseProps(config).auth).toEqual({ mode: 'none', acknowledgePublic: true });
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
