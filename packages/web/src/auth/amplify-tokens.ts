/**
 * The API client's token source, backed by Amplify: `fetchAuthSession` hands out the cached ID
 * token and refreshes it (through Cognito's `GetTokensFromRefreshToken`) when it has expired.
 */
import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import type { TokenSource } from '../api/inference-client';

export const amplifyTokens: TokenSource = {
  async idToken({ forceRefresh }) {
    try {
      const session = await fetchAuthSession({ forceRefresh });
      return session.tokens?.idToken?.toString();
    } catch {
      // A refresh that failed for a reason other than a rejected token (network, throttling):
      // without a token there is nothing to send, and the caller signs out.
      return undefined;
    }
  },
  signOut: () => signOut(),
};
