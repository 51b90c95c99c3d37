/** The web config's shape check: the local-only fields are optional, and checked when present. */
import { describe, expect, it } from 'vitest';
import { isWebConfig, type WebConfig } from '../src/web-config';

const AWS: WebConfig = {
  apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  userPoolClientId: '4tq9example',
  authFlowType: 'USER_SRP_AUTH',
};

const LOCAL: WebConfig = {
  ...AWS,
  userPoolEndpoint: 'http://127.0.0.1:9229',
  localDemoUser: { username: 'demo@gatehouse.local', password: 'Gatehouse-demo-1' },
  localMailboxUrl: 'http://127.0.0.1:9229/_local/mailbox',
};

describe('isWebConfig', () => {
  it('accepts a deployed config without the local fields, and the local stack config with them', () => {
    expect(isWebConfig(AWS)).toBe(true);
    expect(isWebConfig(LOCAL)).toBe(true);
  });

  it('refuses a demo user without a password, and a mailbox URL that is not a string', () => {
    expect(isWebConfig({ ...LOCAL, localDemoUser: { username: 'demo@gatehouse.local' } })).toBe(false);
    expect(isWebConfig({ ...LOCAL, localDemoUser: 'demo' })).toBe(false);
    expect(isWebConfig({ ...LOCAL, localMailboxUrl: 42 })).toBe(false);
  });
});
