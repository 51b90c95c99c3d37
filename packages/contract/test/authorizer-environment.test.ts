import { describe, expect, it } from 'vitest';
import { readAuthorizerEnvironment, writeAuthorizerEnvironment } from '../src/authorizer-environment';
import { EnvironmentError } from '../src/environment-error';

const allowList = {
  AUTHORIZER_MODE: 'email-allowlist',
  USER_POOL_ID: 'eu-west-1_AbCdEf123',
  CLIENT_IDS: 'client-a, client-b',
  ALLOWED_EMAILS: '@example.com',
};

describe('readAuthorizerEnvironment', () => {
  it('derives the Cognito issuer and JWKS from the pool id', () => {
    expect(readAuthorizerEnvironment(allowList)).toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      clientIds: ['client-a', 'client-b'],
      tokenUse: 'id',
    });
  });

  it('defaults the API key header and cache period', () => {
    expect(readAuthorizerEnvironment({ AUTHORIZER_MODE: 'api-key', API_KEYS_PARAMETER: '/keys' })).toEqual({
      mode: 'api-key',
      keysParameter: '/keys',
      header: 'x-api-key',
      cacheSeconds: 60,
    });
  });

  it.each([
    [{}, /AUTHORIZER_MODE must be "email-allowlist" or "api-key" \(got nothing\)/],
    [{ AUTHORIZER_MODE: 'open' }, /got "open"/],
    [{ ...allowList, USER_POOL_ID: 'pool' }, /USER_POOL_ID is invalid: "pool" is not a Cognito user pool id/],
    [{ ...allowList, CLIENT_IDS: ' , ' }, /CLIENT_IDS must name at least one/],
    [{ ...allowList, TOKEN_USE: 'refresh' }, /TOKEN_USE must be "id" or "access"/],
    [{ ...allowList, ALLOWED_EMAILS: 'example.com' }, /ALLOWED_EMAILS is invalid: "example.com" is neither an email/],
    [{ ...allowList, ALLOWED_EMAILS: '' }, /ALLOWED_EMAILS is required/],
    [{ AUTHORIZER_MODE: 'api-key' }, /API_KEYS_PARAMETER is required/],
    [{ AUTHORIZER_MODE: 'api-key', API_KEYS_PARAMETER: '/k', API_KEYS_CACHE_SECONDS: '-1' }, /API_KEYS_CACHE_SECONDS/],
    [{ AUTHORIZER_MODE: 'api-key', API_KEYS_PARAMETER: '/k', API_KEY_HEADER: 'x api' }, /API_KEY_HEADER/],
  ])('fails with a message naming the variable for %j', (env, message) => {
    expect(() => readAuthorizerEnvironment(env)).toThrow(EnvironmentError);
    expect(() => readAuthorizerEnvironment(env)).toThrow(message);
  });

  it('reads back what the writers write, in both modes', () => {
    const allow = writeAuthorizerEnvironment({
      mode: 'email-allowlist',
      userPoolId: 'eu-west-1_AbCdEf123',
      clientIds: ['a', 'b'],
      tokenUse: 'access',
      allowedEmails: ['@example.com'],
    });
    expect(readAuthorizerEnvironment(allow)).toMatchObject({ clientIds: ['a', 'b'], tokenUse: 'access' });
    const keys = writeAuthorizerEnvironment({ mode: 'api-key', keysParameter: '/gatehouse/keys', cacheSeconds: 5 });
    expect(readAuthorizerEnvironment(keys)).toEqual({
      mode: 'api-key',
      keysParameter: '/gatehouse/keys',
      header: 'x-api-key',
      cacheSeconds: 5,
    });
  });

  it('refuses to write what the authorizer could not read', () => {
    expect(() => writeAuthorizerEnvironment({ mode: 'api-key', keysParameter: '/k', cacheSeconds: 99_999 })).toThrow(
      /API_KEYS_CACHE_SECONDS/,
    );
  });
});
