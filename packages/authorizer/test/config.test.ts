import { describe, expect, it } from 'vitest';
import { AuthorizerConfigError, readAuthorizerConfig } from '../src/config';

const allowList = {
  AUTHORIZER_MODE: 'email-allowlist',
  USER_POOL_ID: 'eu-west-1_AbCdEf123',
  CLIENT_IDS: 'client-a, client-b',
  ALLOWED_EMAILS: '@example.com',
};

describe('readAuthorizerConfig', () => {
  it('derives the Cognito issuer and JWKS from the pool id', () => {
    expect(readAuthorizerConfig(allowList)).toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      clientIds: ['client-a', 'client-b'],
      tokenUse: 'id',
    });
  });

  it('defaults the API key header and cache period', () => {
    expect(readAuthorizerConfig({ AUTHORIZER_MODE: 'api-key', API_KEYS_PARAMETER: '/keys' })).toEqual({
      mode: 'api-key',
      keysParameter: '/keys',
      header: 'x-api-key',
      cacheSeconds: 60,
    });
  });

  it.each([
    [{}, /AUTHORIZER_MODE must be "email-allowlist" or "api-key" \(got nothing\)/],
    [{ AUTHORIZER_MODE: 'open' }, /got "open"/],
    [{ ...allowList, USER_POOL_ID: 'pool' }, /USER_POOL_ID: "pool" is not a Cognito user pool id/],
    [{ ...allowList, CLIENT_IDS: ' , ' }, /CLIENT_IDS must name at least one/],
    [{ ...allowList, TOKEN_USE: 'refresh' }, /TOKEN_USE must be "id" or "access"/],
    [{ ...allowList, ALLOWED_EMAILS: 'example.com' }, /ALLOWED_EMAILS: "example.com" is neither an email/],
    [{ ...allowList, ALLOWED_EMAILS: '' }, /ALLOWED_EMAILS is required/],
    [{ AUTHORIZER_MODE: 'api-key' }, /API_KEYS_PARAMETER is required/],
    [{ AUTHORIZER_MODE: 'api-key', API_KEYS_PARAMETER: '/k', API_KEYS_CACHE_SECONDS: '-1' }, /API_KEYS_CACHE_SECONDS/],
    [{ AUTHORIZER_MODE: 'api-key', API_KEYS_PARAMETER: '/k', API_KEY_HEADER: 'x api' }, /API_KEY_HEADER/],
  ])('fails with a message naming the variable for %j', (env, message) => {
    expect(() => readAuthorizerConfig(env)).toThrow(AuthorizerConfigError);
    expect(() => readAuthorizerConfig(env)).toThrow(message);
  });
});
