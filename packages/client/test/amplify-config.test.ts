import { describe, expect, it } from 'vitest';
import { amplifyConfig, gatehouseApiUrl } from '../src/amplify-config';

const AUTH = {
  aws_region: 'us-east-1',
  user_pool_id: 'us-east-1_GateHouse',
  user_pool_client_id: 'client',
  username_attributes: ['email'] as ['email'],
  standard_required_attributes: ['email'] as ['email'],
};

describe('amplifyConfig', () => {
  it("hands the local stack's identity endpoint to Amplify's userPoolEndpoint", () => {
    const config = amplifyConfig({
      version: '1.3',
      auth: AUTH,
      custom: { gatehouseApiUrl: 'http://127.0.0.1:3000/prod', gatehouseUserPoolEndpoint: 'http://127.0.0.1:9229' },
    });
    expect(config.Auth?.Cognito).toMatchObject({
      userPoolId: 'us-east-1_GateHouse',
      userPoolClientId: 'client',
      userPoolEndpoint: 'http://127.0.0.1:9229',
    });
  });

  it('leaves deployed outputs as Amplify reads them, and finds the API URL in both', () => {
    const deployed = { version: '1.3', auth: AUTH, custom: { gatehouseApiUrl: 'https://a.example/prod' } };
    expect(amplifyConfig(deployed).Auth?.Cognito).not.toHaveProperty('userPoolEndpoint');
    expect(gatehouseApiUrl(deployed)).toBe('https://a.example/prod');
    expect(() => gatehouseApiUrl({ version: '1.3', auth: AUTH })).toThrow(/no custom\.gatehouseApiUrl/);
  });
});
