/**
 * The signed-out and signed-in shell: Amplify UI's `<Authenticator>` (sign in, create account,
 * reset password) around the workspace. It owns the one message that must outlive the workspace:
 * why the user was signed out when their session could not be renewed. Against the local stack it
 * also offers the demo account and the local mailbox, where sign-up and reset codes arrive.
 */
import { Alert, Authenticator, Heading, Link, Text, View } from '@aws-amplify/ui-react';
import { SESSION_ENDED_MESSAGE } from '@gatehouse/client';
import type { WebConfig } from '@gatehouse/contract';
import { Hub } from 'aws-amplify/utils';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { authenticatorServices } from '../config/amplify-config';
import { MAILBOX_HASH, MailboxPage } from './mailbox-page';
import { Workspace } from './workspace';

const AUTHENTICATOR_COMPONENTS = { SignIn: { Header: LocalDemoHint } };

function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

/** The Authenticator takes slot components, not elements; they read the config from here. */
const ConfigContext = createContext<WebConfig | undefined>(undefined);

/** Shown above the sign-in form only when the local stack wrote a demo account into the config. */
function LocalDemoHint() {
  const config = useContext(ConfigContext);
  const demo = config?.localDemoUser;
  if (!demo) return null;
  return (
    // An aside, not an alert: it is a standing note, and an alert would be announced on every visit.
    <View
      as="aside"
      aria-label="Local demo account"
      data-testid="local-demo-hint"
      padding="medium"
      backgroundColor="var(--amplify-colors-background-info)"
    >
      Local stack: sign in as <strong>{demo.username}</strong> with <strong>{demo.password}</strong>
      {config?.localMailboxUrl ? (
        <Text as="span">
          {' '}
          — codes for new accounts and resets arrive in the{' '}
          <Link href={MAILBOX_HASH} isExternal>
            local mailbox
          </Link>
          .
        </Text>
      ) : null}
    </View>
  );
}

export function App({ config }: { config: WebConfig }) {
  const services = useMemo(() => authenticatorServices(config), [config]);
  const [notice, setNotice] = useState<string>();
  const sessionEnded = useCallback(() => setNotice(SESSION_ENDED_MESSAGE), []);
  const clearNotice = useCallback(() => setNotice(undefined), []);
  const hash = useHash();

  useEffect(
    () =>
      Hub.listen('auth', ({ payload }) => {
        // The Authenticator signs out on this event by itself; the app only says why.
        if (payload.event === 'tokenRefresh_failure' && payload.data?.error?.name !== 'NetworkError') sessionEnded();
      }),
    [sessionEnded],
  );

  return (
    <ConfigContext.Provider value={config}>
      <View className="page">
        <header className="page-header">
          <Heading level={1}>gatehouse</Heading>
          {config.localMailboxUrl ? (
            <Link href={MAILBOX_HASH} isExternal>
              Local mailbox
            </Link>
          ) : null}
        </header>
        {config.localMailboxUrl && hash === MAILBOX_HASH ? <MailboxPage mailboxUrl={config.localMailboxUrl} /> : null}
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
        {hash === MAILBOX_HASH && config.localMailboxUrl ? null : (
          <Authenticator services={services} components={AUTHENTICATOR_COMPONENTS}>
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
        )}
      </View>
    </ConfigContext.Provider>
  );
}
