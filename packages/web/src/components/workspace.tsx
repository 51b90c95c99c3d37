/**
 * What a signed-in user sees: who they are, and the project's own page (when the project config
 * names one under `web.panel`) beside the route console, or the console alone. Both call the API
 * through `@gatehouse/client` with the user's Amplify tokens and the API's auth mode.
 */

import { ProjectPanel, projectRoutes } from 'virtual:gatehouse-project';
import { Button, Flex, Loader, Tabs, Text, View } from '@aws-amplify/ui-react';
import type { GatehouseClientOptions } from '@gatehouse/client';
import { amplifyTokens } from '@gatehouse/client/amplify';
import type { WebConfig } from '@gatehouse/contract';
import { Suspense, useEffect, useMemo } from 'react';
import { RouteConsole } from '../console/route-console';

export interface WorkspaceProps {
  config: WebConfig;
  username: string;
  onSignOut: () => void;
  onSignedIn: () => void;
  onSessionEnded: () => void;
}

export function Workspace({ config, username, onSignOut, onSignedIn, onSessionEnded }: WorkspaceProps) {
  const clientOptions = useMemo<GatehouseClientOptions>(
    () => ({
      apiUrl: config.apiUrl,
      ...amplifyTokens(),
      auth: config.auth ?? { mode: 'cognito' },
      pageOrigin: window.location.origin,
    }),
    [config.apiUrl, config.auth],
  );

  useEffect(() => onSignedIn(), [onSignedIn]);

  const routeConsole = (
    <RouteConsole
      webConfig={config}
      bundledRoutes={projectRoutes}
      clientOptions={clientOptions}
      onSessionEnded={onSessionEnded}
    />
  );
  return (
    <View as="main" className="workspace">
      <Flex as="nav" aria-label="Account" justifyContent="space-between" alignItems="center" wrap="wrap">
        <Text>
          Signed in as <strong data-testid="signed-in-user">{username}</strong>
        </Text>
        <Button size="small" onClick={onSignOut}>
          Sign out
        </Button>
      </Flex>
      {ProjectPanel ? (
        <Tabs
          defaultValue="project"
          items={[
            {
              label: 'Project',
              value: 'project',
              content: (
                <Suspense fallback={<Loader ariaLabel="Loading the project page" />}>
                  <ProjectPanel clientOptions={clientOptions} onSessionEnded={onSessionEnded} />
                </Suspense>
              ),
            },
            { label: 'Route console', value: 'console', content: routeConsole },
          ]}
        />
      ) : (
        routeConsole
      )}
    </View>
  );
}
