/**
 * The tokens the local pool issues, shaped as Cognito's: an ID token (aud = client, email,
 * email_verified, cognito:username, cognito:groups) and an access token (client_id, scope, no aud),
 * RS256 with the state directory's key; an opaque refresh token kept only as a digest. One hour
 * for ID and access tokens and 30 days for refresh, AWS's defaults.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { CognitoError } from './cognito-error';
import type { SigningKey } from './signing-key';
import type { StoredUser, UserStore } from './user-store';

export const TOKEN_VALIDITY_SECONDS = 3600;
const REFRESH_VALIDITY_MS = 30 * 24 * 3600_000;
/** Sessions remembered per user; the oldest beyond this end, as if their refresh tokens had expired. */
const MAX_SESSIONS = 50;

export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

export interface TokenIssuer {
  /** A new session with a refresh token, or fresh tokens for the session `originJti` names. */
  issue(user: StoredUser, clientId: string, session: { originJti?: string }): Promise<AuthenticationResult>;
  /** The user behind a valid, unrevoked access token; `NotAuthorizedException` otherwise. */
  userOf(accessToken: unknown): Promise<StoredUser>;
}

export function tokenIssuer(issuer: string, key: SigningKey, store: UserStore): TokenIssuer {
  const sign = (claims: Record<string, unknown>, now: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + TOKEN_VALIDITY_SECONDS)
      .setJti(randomUUID())
      .sign(key.privateKey);

  return {
    async issue(user, clientId, { originJti }) {
      const now = Math.floor(Date.now() / 1000);
      const groups = store.groupsOf(user);
      const session = originJti ?? randomUUID();
      const common = {
        sub: user.sub,
        ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
        auth_time: now,
        origin_jti: session,
        event_id: randomUUID(),
      };
      const IdToken = await sign(
        {
          ...common,
          aud: clientId,
          token_use: 'id',
          email: user.attributes.email,
          email_verified: user.attributes.email_verified === 'true',
          'cognito:username': user.sub,
        },
        now,
      );
      const AccessToken = await sign(
        {
          ...common,
          client_id: clientId,
          token_use: 'access',
          scope: 'aws.cognito.signin.user.admin',
          username: user.sub,
        },
        now,
      );
      const result: AuthenticationResult = {
        AccessToken,
        IdToken,
        ExpiresIn: TOKEN_VALIDITY_SECONDS,
        TokenType: 'Bearer',
      };
      if (!originJti) {
        const RefreshToken = randomBytes(48).toString('base64url');
        store.saveRefreshToken(RefreshToken, {
          sub: user.sub,
          originJti: session,
          clientId,
          expiresAt: Date.now() + REFRESH_VALIDITY_MS,
        });
        store.update(user, (u) => {
          u.sessions = [...(u.sessions ?? []), session].slice(-MAX_SESSIONS);
        });
        result.RefreshToken = RefreshToken;
      }
      return result;
    },

    async userOf(accessToken) {
      const refused = new CognitoError('NotAuthorizedException', 'Invalid Access Token');
      if (typeof accessToken !== 'string') throw refused;
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(accessToken, key.publicKey, { issuer, algorithms: ['RS256'] }));
      } catch (error) {
        const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
        throw expired ? new CognitoError('NotAuthorizedException', 'Access Token has expired', 400) : refused;
      }
      const user = payload.token_use === 'access' ? store.find(String(payload.sub)) : undefined;
      if (!user?.enabled) throw refused;
      if (!(user.sessions ?? []).includes(String(payload.origin_jti)))
        throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
      return user;
    },
  };
}
