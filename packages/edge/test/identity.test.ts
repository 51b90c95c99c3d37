import { describe, expect, it } from 'vitest';
import { identify } from '../src/identity';
import { Rejection } from '../src/rejection';
import { idTokenClaims } from './helpers';

const ID = { requiredTokenUse: 'id', requiredGroups: [], authMode: 'cognito' } as const;

function rejectionOf(run: () => unknown): Rejection {
  try {
    run();
  } catch (error) {
    if (error instanceof Rejection) return error;
    throw error;
  }
  throw new Error('expected a Rejection');
}

describe('identify', () => {
  it('reads the identity from string claims as API Gateway sends them', () => {
    // Act
    const identity = identify({ jwt: { claims: idTokenClaims(), scopes: null } }, ID);

    // Assess
    expect(identity).toEqual({
      sub: '3f0a5c1e-8e1a-4b5c-9d2e-1f2a3b4c5d6e',
      email: 'jane@example.com',
      username: 'jane',
      groups: ['admins', 'users'],
    });
  });

  it('reads an access token when access tokens are required, falling back to username and no email', () => {
    // Prepare
    const { email: _e, 'cognito:username': _u, ...claims } = idTokenClaims({ token_use: 'access', username: 'jane' });

    // Act
    const identity = identify({ jwt: { claims, scopes: null } }, { ...ID, requiredTokenUse: 'access' });

    // Assess
    expect(identity).toMatchObject({ email: null, username: 'jane' });
  });

  it('answers 401 unauthorized without claims or without a sub', () => {
    // Act
    const none = rejectionOf(() => identify(undefined, ID));
    const empty = rejectionOf(() => identify({ jwt: { claims: {}, scopes: null } }, ID));

    // Assess
    expect(none.code).toBe('unauthorized');
    expect(none.headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(empty.code).toBe('unauthorized');
  });

  it('admits every caller as anonymous in auth mode none, and enforces groups as configured', () => {
    // Act
    const admitted = identify(undefined, { ...ID, authMode: 'none' });
    const refused = rejectionOf(() => identify(undefined, { ...ID, authMode: 'none', requiredGroups: ['admins'] }));

    // Assess
    expect(admitted).toEqual({ sub: 'anonymous', email: null, username: 'anonymous', groups: [] });
    expect(refused.code).toBe('forbidden');
  });

  it('trusts only the identity source of its auth mode', () => {
    // Prepare
    const lambda = { lambda: { principal: 'api-key', sub: 'api-key:ci', username: 'ci', groups: ['admins'] } };
    const jwt = { jwt: { claims: idTokenClaims(), scopes: null } };

    // Act
    const cognitoGivenLambda = rejectionOf(() => identify(lambda, ID));
    const lambdaGivenJwt = rejectionOf(() => identify(jwt, { ...ID, authMode: 'lambda' }));
    const iamGivenLambda = rejectionOf(() => identify(lambda, { ...ID, authMode: 'iam' }));

    // Assess
    expect([cognitoGivenLambda.code, lambdaGivenJwt.code, iamGivenLambda.code]).toEqual([
      'unauthorized',
      'unauthorized',
      'unauthorized',
    ]);
  });

  it('answers 401 wrong_token_use explaining ID versus access tokens', () => {
    // Act
    const rejection = rejectionOf(() =>
      identify({ jwt: { claims: idTokenClaims({ token_use: 'access' }), scopes: null } }, ID),
    );
    const missing = rejectionOf(() => {
      const { token_use: _t, ...claims } = idTokenClaims();
      identify({ jwt: { claims, scopes: null } }, ID);
    });

    // Assess
    expect(rejection.code).toBe('wrong_token_use');
    expect(rejection.headers).toEqual({ 'www-authenticate': 'Bearer error="invalid_token"' });
    expect(rejection.detail).toMatch(/expects an ID token but received an access token/);
    expect(rejection.detail).toMatch(/idToken/);
    expect(missing.code).toBe('wrong_token_use');
  });

  it('requires membership of at least one required group (403 forbidden otherwise)', () => {
    // Prepare
    const authorizer = { jwt: { claims: idTokenClaims({ 'cognito:groups': '[users]' }), scopes: null } };

    // Act
    const admitted = identify(authorizer, { ...ID, requiredGroups: ['admins', 'users'] });
    const refused = rejectionOf(() => identify(authorizer, { ...ID, requiredGroups: ['admins'] }));
    const noGroups = rejectionOf(() =>
      identify(
        { jwt: { claims: idTokenClaims({ 'cognito:groups': '' }), scopes: null } },
        { ...ID, requiredGroups: ['admins'] },
      ),
    );

    // Assess
    expect(admitted.groups).toEqual(['users']);
    expect(refused.code).toBe('forbidden');
    expect(refused.detail).not.toContain('admins');
    expect(noGroups.code).toBe('forbidden');
  });

  it("reads a Lambda authorizer's context in the same shape", () => {
    // Act
    const identity = identify(
      { lambda: { principal: 'api-key', sub: 'api-key:reporting', username: 'reporting', groups: ['analysts'] } },
      { ...ID, authMode: 'lambda' },
    );

    // Assess
    expect(identity).toEqual({ sub: 'api-key:reporting', email: null, username: 'reporting', groups: ['analysts'] });
  });

  it('reads an IAM caller, preferring the identity pool identity', () => {
    // Act
    const identity = identify(
      {
        iam: {
          accessKey: 'ASIAEXAMPLE',
          accountId: '123456789012',
          cognitoIdentity: {
            amr: ['authenticated'],
            identityId: 'eu-west-1:1234-abcd',
            identityPoolId: 'eu-west-1:pool',
          },
          userArn: 'arn:aws:sts::123456789012:assumed-role/web/CognitoIdentityCredentials',
          userId: 'AROAEXAMPLE:CognitoIdentityCredentials',
        },
      },
      { ...ID, authMode: 'iam' },
    );

    // Assess
    expect(identity).toEqual({
      sub: 'eu-west-1:1234-abcd',
      email: null,
      username: 'arn:aws:sts::123456789012:assumed-role/web/CognitoIdentityCredentials',
      groups: [],
    });
  });
});
