/**
 * A Vite plugin that serves the runtime configuration at `/gatehouse-config.json` from memory
 * (dev server and preview), so the generated configuration never lands in the source tree.
 */

import { WEB_CONFIG_PATH, type WebConfig } from '@gatehouse/contract';
import type { Connect, Plugin } from 'vite';

export function webConfigPlugin(getConfig: () => WebConfig): Plugin {
  const serveConfig: Connect.NextHandleFunction = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('cache-control', 'no-store');
    res.end(JSON.stringify(getConfig()));
  };
  return {
    name: 'gatehouse-web-config',
    configureServer: (server) => {
      server.middlewares.use(WEB_CONFIG_PATH, serveConfig);
    },
    configurePreviewServer: (server) => {
      server.middlewares.use(WEB_CONFIG_PATH, serveConfig);
    },
  };
}
