/**
 * Shown instead of the app when `gatehouse-config.json` is missing or malformed: says what is
 * wrong and which command writes the file, rather than leaving a blank page.
 */

import { Alert, Heading, Text, View } from '@aws-amplify/ui-react';
import { WEB_CONFIG_PATH } from '@gatehouse/contract';
import type { WebConfigError } from '../config/load-web-config';

const HEADINGS: Record<WebConfigError['problem'], string> = {
  missing: 'The app has no configuration',
  malformed: 'The app configuration is not valid',
  unreachable: 'The app configuration could not be loaded',
};

export function ConfigErrorPage({ error }: { error: WebConfigError }) {
  return (
    <View as="main" className="page" padding="large">
      <Heading level={1}>gatehouse</Heading>
      <Alert variation="error" heading={HEADINGS[error.problem]} role="alert" marginBlock="medium">
        {error.message}
      </Alert>
      <Text>
        The app reads <code>{WEB_CONFIG_PATH}</code> at start. It is generated, never written by hand:
      </Text>
      <ul>
        <li>
          <Text as="span">
            Locally, run <code>npm start</code> (<code>gatehouse dev</code>) and open the URL it prints; it serves the
            file for the local stack.
          </Text>
        </li>
        <li>
          <Text as="span">
            On AWS, <code>npm run deploy</code> writes it from the stack outputs next to the built app.
          </Text>
        </li>
      </ul>
      <Text>
        It holds <code>apiUrl</code>, <code>region</code>, <code>userPoolId</code>, <code>userPoolClientId</code>,{' '}
        <code>authFlowType</code> and, locally, <code>userPoolEndpoint</code>. See docs/WEB.md.
      </Text>
    </View>
  );
}
