import type { WebConfig } from '@gatehouse/contract';
import type { SignInInput, SignUpInput } from 'aws-amplify/auth';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const auth = vi.hoisted(() => ({ signIn: vi.fn(), signUp: vi.fn() }));
vi.mock('aws-amplify/auth', () => auth);

const { amplifyConfig, authenticatorServices } = await import('../src/config/amplify-config');

const LOCAL: WebConfig = {
  apiUrl: 'http://127.0.0.1:3000/prod',
  region: 'us-east-1',
  userPoolId: 'us-east-1_GateHouse',
  userPoolClientId: 'gatehouselocalwebclient0',
  userPoolEndpoint: 'http://127.0.0.1:9229',
  authFlowType: 'USER_PASSWORD_AUTH',
};

const AWS: WebConfig = {
  apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  userPoolClientId: '4tq9example',
  authFlowType: 'USER_SRP_AUTH',
};

describe('amplifyConfig', () => {
  it('points Amplify at the local identity endpoint only when the config names one', () => {
    expect(amplifyConfig(LOCAL).Auth?.Cognito).toMatchObject({
      userPoolId: 'us-east-1_GateHouse',
      userPoolClientId: 'gatehouselocalwebclient0',
      userPoolEndpoint: 'http://127.0.0.1:9229',
      loginWith: { email: true },
    });
    expect(amplifyConfig(AWS).Auth?.Cognito).not.toHaveProperty('userPoolEndpoint');
  });
});

describe('authenticatorServices', () => {
  beforeEach(() => {
    auth.signIn.mockReset();
    auth.signUp.mockReset();
  });

  it('signs in with the configured flow, keeping what the Authenticator passed', async () => {
    // Prepare
    const input: SignInInput = {
      username: 'demo@gatehouse.local',
      password: 'pw',
      options: { clientMetadata: { a: 'b' } },
    };

    // Act
    await authenticatorServices(LOCAL).handleSignIn(input);

    // Assess
    expect(auth.signIn).toHaveBeenCalledWith({
      username: 'demo@gatehouse.local',
      password: 'pw',
      options: { clientMetadata: { a: 'b' }, authFlowType: 'USER_PASSWORD_AUTH' },
    });
  });

  it("makes sign-up's automatic sign-in use the configured flow too", async () => {
    // Prepare
    const input: SignUpInput = {
      username: 'new@gatehouse.local',
      password: 'pw',
      options: { userAttributes: { email: 'new@gatehouse.local' } },
    };

    // Act
    await authenticatorServices(AWS).handleSignUp(input);

    // Assess
    expect(auth.signUp).toHaveBeenCalledWith({
      username: 'new@gatehouse.local',
      password: 'pw',
      options: { userAttributes: { email: 'new@gatehouse.local' }, autoSignIn: { authFlowType: 'USER_SRP_AUTH' } },
    });
  });
});
