/**
 * A Vite plugin that serves the runtime configuration at `/gatehouse-config.json` from memory
 * (dev server and preview), so the generated configuration never lands in the source tree.
 */
import type { Plugin } from 'vite';
import { WEB_CONFIG_PATH, type WebConfig } from '@gatehouse/contract';

export function webConfigPlugin(getConfig: () => WebConfig): Plugin {
  const serve: Plugin['configureServer'] = (server) => {
    server.middlewares.use(WEB_CONFIG_PATH, (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(JSON.stringify(getConfig()));
    });
  };
  return { name: 'gatehouse-web-config', configureServer: serve };
}
