/**
 * The API client's token source, backed by Amplify: `fetchAuthSession` hands out the cached ID
 * token and refreshes it (through Cognito's `GetTokensFromRefreshToken`) when it has expired.
 */
import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import { IdentityUnavailableError } from '../api/api-errors';
import type { TokenSource } from '../api/inference-client';

export const amplifyTokens: TokenSource = {
  async idToken({ forceRefresh }) {
    try {
      const session = await fetchAuthSession({ forceRefresh });
      return session.tokens?.idToken?.toString();
    } catch (error) {
      // Amplify answers a rejected refresh token with no tokens (and clears them); it throws only
      // for passing failures (network, throttling), which keep the session for the next try.
      throw new IdentityUnavailableError(`Could not renew the session: ${String(error)}`, undefined, { cause: error });
    }
  },
  signOut: () => signOut(),
};
