/**
 * Entry point: fetch the runtime configuration, configure Amplify with it, then render the app.
 * Until the configuration is known nothing else can start, so a failure shows the setup page.
 */
import '@aws-amplify/ui-react/styles.css';
import './app.css';
import type { WebConfig } from '@gatehouse/contract';
import { Amplify } from 'aws-amplify';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app';
import { ConfigErrorPage } from './components/config-error-page';
import { amplifyConfig } from './config/amplify-config';
import { loadWebConfig, WebConfigError } from './config/load-web-config';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

function render(config: WebConfig): void {
  Amplify.configure(amplifyConfig(config));
  root.render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
}

loadWebConfig().then(render, (error: unknown) => {
  const failure = error instanceof WebConfigError ? error : new WebConfigError('unreachable', String(error));
  root.render(<ConfigErrorPage error={failure} />);
});
