/**
 * The client's token source backed by Amplify v6 (`@gatehouse/client/amplify`, so apps that get
 * tokens elsewhere never load aws-amplify): `fetchAuthSession` hands out the cached ID token and
 * refreshes it through Cognito when it has expired; a session that cannot be renewed signs out.
 *
 * @example
 * const client = createGatehouseClient<typeof config>({ apiUrl, ...amplifyTokens() });
 */
import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import { IdentityUnavailableError } from './client-errors';
import type { GatehouseClientOptions } from './gatehouse-client';

export function amplifyTokens(): Required<Pick<GatehouseClientOptions, 'getToken' | 'onSessionEnded'>> {
  return {
    async getToken({ forceRefresh }) {
      try {
        const session = await fetchAuthSession({ forceRefresh });
        return session.tokens?.idToken?.toString();
      } catch (error) {
        // Amplify answers a rejected refresh token with no tokens (and clears them); it throws only
        // for passing failures (network, throttling), which keep the session for the next try.
        throw new IdentityUnavailableError('Could not renew the session', undefined, { cause: error });
      }
    },
    onSessionEnded: () => signOut(),
  };
}
