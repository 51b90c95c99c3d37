/**
 * The signed-out and signed-in shell: Amplify UI's `<Authenticator>` (sign in, create account,
 * reset password) around the workspace. It owns the one message that must outlive the workspace:
 * why the user was signed out when their session could not be renewed.
 */
import { Alert, Authenticator, Heading, View } from '@aws-amplify/ui-react';
import { SESSION_ENDED_MESSAGE } from '@gatehouse/client';
import type { WebConfig } from '@gatehouse/contract';
import { Hub } from 'aws-amplify/utils';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { authenticatorServices } from '../config/amplify-config';
import { Workspace } from './workspace';

export function App({ config }: { config: WebConfig }) {
  const services = useMemo(() => authenticatorServices(config), [config]);
  const [notice, setNotice] = useState<string>();
  const sessionEnded = useCallback(() => setNotice(SESSION_ENDED_MESSAGE), []);
  const clearNotice = useCallback(() => setNotice(undefined), []);

  useEffect(
    () =>
      Hub.listen('auth', ({ payload }) => {
        // The Authenticator signs out on this event by itself; the app only says why.
        if (payload.event === 'tokenRefresh_failure' && payload.data?.error?.name !== 'NetworkError') sessionEnded();
      }),
    [sessionEnded],
  );

  return (
    <View className="page">
      <header className="page-header">
        <Heading level={1}>gatehouse</Heading>
      </header>
      {notice ? (
        <Alert
          variation="warning"
          role="alert"
          heading="Signed out"
          isDismissible
          onDismiss={clearNotice}
          marginBlockEnd="medium"
        >
          {notice}
        </Alert>
      ) : null}
      <Authenticator services={services}>
        {({ user, signOut }) => (
          <Workspace
            config={config}
            username={user?.signInDetails?.loginId ?? user?.username ?? ''}
            onSignOut={() => signOut?.()}
            onSignedIn={clearNotice}
            onSessionEnded={sessionEnded}
          />
        )}
      </Authenticator>
    </View>
  );
}
