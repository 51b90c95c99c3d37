/**
 * Who is calling, read from what the gateway's authorizer put in `requestContext.authorizer`, and
 * whether they may: the configured token use (ID or access token) and, when groups are required,
 * membership of at least one of them.
 *
 * JWT claims arrive as strings (`"exp":"1787996002"`, `"cognito:groups":"[admins users]"`) and are
 * read with the contract's claim parsers. A Lambda authorizer's context (`authorizer.lambda`) and
 * IAM callers (`authorizer.iam`) yield the same identity shape, so the core never needs to know how
 * the caller got in.
 */
import { type CoreIdentity, parseListClaim, parseStringClaim } from '@gatehouse/contract';
import type { EdgeConfig, TokenUse } from './config';
import { Rejection } from './rejection';

type Fields = Readonly<Record<string, unknown>>;

export interface AuthorizerContext {
  jwt?: { claims?: Fields | null; scopes?: readonly string[] | null } | null;
  lambda?: Fields | null;
  iam?: Fields | null;
}

const TOKEN_NAMES: Record<TokenUse, string> = { id: 'an ID token', access: 'an access token' };

/** Who calls an API deployed with `auth: none`. */
export const ANONYMOUS: Readonly<CoreIdentity> = Object.freeze({
  sub: 'anonymous',
  email: null,
  username: 'anonymous',
  groups: [],
});

export function identify(
  authorizer: AuthorizerContext | null | undefined,
  config: Pick<EdgeConfig, 'requiredTokenUse' | 'requiredGroups' | 'authMode'>,
): CoreIdentity {
  const identity = identityOf(authorizer, config);
  requireGroup(identity, config.requiredGroups);
  return identity;
}

/**
 * Reads the identity only from where the configured mode puts it: an edge behind a JWT authorizer
 * never takes a caller's word from any other field, whatever else the event carries.
 */
function identityOf(
  authorizer: AuthorizerContext | null | undefined,
  config: Pick<EdgeConfig, 'requiredTokenUse' | 'authMode'>,
): CoreIdentity {
  switch (config.authMode) {
    case 'cognito': {
      const claims = asFields(authorizer?.jwt?.claims);
      if (claims) return fromClaims(claims, config.requiredTokenUse);
      throw challenge(
        'unauthorized',
        'No signed-in user came with this request. Send a Cognito token in the Authorization header.',
      );
    }
    case 'lambda': {
      const context = asFields(authorizer?.lambda);
      if (context) return fromLambdaContext(context);
      throw challenge('unauthorized', 'No authorizer admitted this request.');
    }
    case 'iam': {
      const iam = asFields(authorizer?.iam);
      if (iam) return fromIam(iam);
      throw challenge('unauthorized', 'This request was not signed with AWS credentials (SigV4).');
    }
    case 'none':
      return { ...ANONYMOUS, groups: [] };
  }
}

function fromClaims(claims: Fields, required: TokenUse): CoreIdentity {
  const sub = parseStringClaim(claims.sub);
  if (!sub) throw challenge('unauthorized', 'The token does not name a user (no "sub" claim).');
  const used = parseStringClaim(claims.token_use);
  if (used !== required) {
    const sent = used === 'id' || used === 'access' ? TOKEN_NAMES[used] : 'a token without a Cognito token_use';
    throw challenge(
      'wrong_token_use',
      `This API expects ${TOKEN_NAMES[required]} but received ${sent}. ID tokens say who the user is ` +
        '(Amplify: fetchAuthSession().tokens.idToken); access tokens say what the client may do (tokens.accessToken).',
    );
  }
  return {
    sub,
    email: parseStringClaim(claims.email) ?? null,
    username: parseStringClaim(claims['cognito:username']) ?? parseStringClaim(claims.username) ?? sub,
    groups: parseListClaim(claims['cognito:groups']),
  };
}

function fromLambdaContext(context: Fields): CoreIdentity {
  const sub = parseStringClaim(context.sub);
  if (!sub) throw challenge('unauthorized', 'The authorizer admitted the request without naming a caller.');
  return {
    sub,
    email: parseStringClaim(context.email) ?? null,
    username: parseStringClaim(context.username) ?? sub,
    groups: parseListClaim(context.groups),
  };
}

function fromIam(iam: Fields): CoreIdentity {
  const cognito = asFields(iam.cognitoIdentity);
  const sub = parseStringClaim(cognito?.identityId) ?? parseStringClaim(iam.userId);
  if (!sub) throw challenge('unauthorized', 'The signed request does not name a caller.');
  return { sub, email: null, username: parseStringClaim(iam.userArn) ?? sub, groups: [] };
}

/** The caller must be in one of `required` (nothing to check when it is empty). */
export function requireGroup(identity: CoreIdentity, required: readonly string[]): void {
  if (required.length === 0 || identity.groups.some((g) => required.includes(g))) return;
  throw new Rejection(
    'forbidden',
    // The group names stay out of the answer: they describe the deployment, not the caller.
    'Your account is not in a group allowed to use this API. Ask an administrator to add you.',
  );
}

/** A 401 carries `WWW-Authenticate` (RFC 9110 §11.6.1); `invalid_token` when a token came but is the wrong one. */
function challenge(code: 'unauthorized' | 'wrong_token_use', detail: string): Rejection {
  const scheme = code === 'wrong_token_use' ? 'Bearer error="invalid_token"' : 'Bearer';
  return new Rejection(code, detail, undefined, { 'www-authenticate': scheme });
}

function asFields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}
