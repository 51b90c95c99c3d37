import { EnvironmentError } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { BASE_ENV } from './helpers';

describe('loadConfig', () => {
  it('applies the secure defaults when only the required variables are set', () => {
    // Act
    const config = loadConfig(BASE_ENV);

    // Assess
    expect(config).toMatchObject({
      targets: new Map([
        ['figures', { functionName: 'gatehouse-core', qualifier: undefined }],
        ['items', { functionName: 'gatehouse-items', qualifier: undefined }],
        ['ask', { functionName: 'gatehouse-ask', qualifier: undefined }],
      ]),
      requiredTokenUse: 'id',
      requiredGroups: [],
      maxBodyBytes: 262_144,
      coreTimeoutMs: 8_000,
      logLevel: 'info',
      authMode: 'cognito',
    });
    expect(config.allowedOrigins).toHaveLength(2);
  });

  it('reads every variable', () => {
    // Act
    const config = loadConfig({
      CORE_TARGETS: 'main=arn:aws:lambda:eu-west-1:123456789012:function:core:live, other=other-core',
      ALLOWED_ORIGINS: 'https://*',
      REQUIRED_TOKEN_USE: 'access',
      REQUIRED_GROUPS: ' admins, analysts ,',
      MAX_BODY_BYTES: '1024',
      CORE_TIMEOUT_MS: '2500',
      LOG_LEVEL: 'WARN',
      AUTH_MODE: 'lambda',
    });

    // Assess
    expect(config).toEqual({
      targets: new Map([
        ['main', { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:core', qualifier: 'live' }],
        ['other', { functionName: 'other-core', qualifier: undefined }],
      ]),
      allowedOrigins: [{ kind: 'scheme', scheme: 'https:' }],
      requiredTokenUse: 'access',
      requiredGroups: ['admins', 'analysts'],
      maxBodyBytes: 1024,
      coreTimeoutMs: 2500,
      logLevel: 'warn',
      authMode: 'lambda',
    });
  });

  it.each([
    [{ CORE_TARGETS: '' }, 'CORE_TARGETS', /required/],
    [{ CORE_TARGETS: 'main=not a name!' }, 'CORE_TARGETS', /not a Lambda function name/],
    [{ CORE_TARGETS: 'gatehouse-core' }, 'CORE_TARGETS', /"<core>=<function name or ARN>,…"/],
    [{ ALLOWED_ORIGINS: undefined }, 'ALLOWED_ORIGINS', /required/],
    [{ ALLOWED_ORIGINS: '*' }, 'ALLOWED_ORIGINS', /"\*" is not accepted/],
    [{ ALLOWED_ORIGINS: 'https://app.example.com/' }, 'ALLOWED_ORIGINS', /not a bare origin/],
    [{ REQUIRED_TOKEN_USE: 'refresh' }, 'REQUIRED_TOKEN_USE', /"id" or "access"/],
    [{ MAX_BODY_BYTES: '10kb' }, 'MAX_BODY_BYTES', /whole number/],
    [{ MAX_BODY_BYTES: '0' }, 'MAX_BODY_BYTES', /whole number from 1/],
    [{ MAX_BODY_BYTES: '7000000' }, 'MAX_BODY_BYTES', /to 6291456/],
    [{ CORE_TIMEOUT_MS: '31000' }, 'CORE_TIMEOUT_MS', /to 30000/],
    [{ CORE_TIMEOUT_MS: '-5' }, 'CORE_TIMEOUT_MS', /whole number/],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', /one of debug, info/],
    [{ AUTH_MODE: 'public' }, 'AUTH_MODE', /one of cognito, lambda, iam, none/],
    [{ AUTH_MODE: 'iam', REQUIRED_GROUPS: 'admins' }, 'REQUIRED_GROUPS', /cannot be used with AUTH_MODE=iam/],
    [{ AUTH_MODE: 'none', REQUIRED_GROUPS: 'admins' }, 'REQUIRED_GROUPS', /cannot be used with AUTH_MODE=none/],
  ])('refuses %o with an error naming %s', (override, variable, message) => {
    // Act
    const load = () => loadConfig({ ...BASE_ENV, ...override });

    // Assess
    expect(load).toThrow(EnvironmentError);
    expect(load).toThrow(new RegExp(`^${variable} `));
    expect(load).toThrow(message);
  });
});
