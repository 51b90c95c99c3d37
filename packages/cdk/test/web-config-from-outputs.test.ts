import { describe, expect, it } from 'vitest';
import { GatehouseConfigError } from '../src/errors';
import { webConfigFromOutputs } from '../src/web-config-from-outputs';

const GATEHOUSE = {
  RouteUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/inference',
  ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  UserPoolId: 'eu-west-1_AbCdEf123',
  UserPoolClientId: '4vq1example',
  Region: 'eu-west-1',
};

describe('webConfigFromOutputs', () => {
  it('writes the WebConfig the app reads on AWS, with SRP sign-in', () => {
    expect(webConfigFromOutputs({ Gatehouse: GATEHOUSE, Other: { BucketName: 'b' } })).toEqual({
      apiUrl: GATEHOUSE.ApiUrl,
      region: 'eu-west-1',
      userPoolId: GATEHOUSE.UserPoolId,
      userPoolClientId: GATEHOUSE.UserPoolClientId,
      authFlowType: 'USER_SRP_AUTH',
    });
  });

  it('asks for a stack name when two gatehouse stacks deployed', () => {
    expect(() => webConfigFromOutputs({ A: GATEHOUSE, B: GATEHOUSE })).toThrow(/several gatehouse stacks/);
    expect(webConfigFromOutputs({ A: GATEHOUSE, B: { ...GATEHOUSE, Region: 'us-east-1' } }, 'B').region).toBe(
      'us-east-1',
    );
  });

  it('refuses an outputs file without a gatehouse stack or with missing outputs', () => {
    expect(() => webConfigFromOutputs({})).toThrow(GatehouseConfigError);
    expect(() => webConfigFromOutputs({ Gatehouse: { ApiUrl: GATEHOUSE.ApiUrl } })).toThrow(/incomplete/);
  });
});
