/**
 * Starts the web app's Vite dev server with a given runtime configuration and project. `gatehouse
 * dev` and the browser tests call this so that each stack (the developer's, or a test's on free
 * ports) serves its own `gatehouse-config.json` without writing into the source tree. Port 0 picks
 * a free port; the returned `url` carries the real one.
 */
import type { AddressInfo } from 'node:net';
import type { WebConfig } from '@gatehouse/contract';
import { createServer } from 'vite';
import { webViteSettings } from './vite-settings';
import { webConfigPlugin } from './web-config-plugin';

export interface WebDevServer {
  url: string;
  close(): Promise<void>;
}

export interface WebDevServerOptions {
  host: string;
  port: number;
  webConfig: WebConfig;
  /**
   * The project's `gatehouse.config.ts`: its route schemas build the console's forms, and its
   * `web.panel` (if any) becomes the main page. Without it the console lists `webConfig.routes`
   * with raw JSON bodies.
   */
  projectConfigFile?: string;
}

export async function startWebDevServer(options: WebDevServerOptions): Promise<WebDevServer> {
  const settings = webViteSettings({ configFile: options.projectConfigFile });
  const server = await createServer({
    ...settings,
    plugins: [...(settings.plugins ?? []), webConfigPlugin(() => options.webConfig)],
    server: { host: options.host, port: options.port, strictPort: true },
    clearScreen: false,
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo | null;
  const port = address?.port ?? options.port;
  return {
    url: `http://${options.host}:${port}`,
    close: () => server.close(),
  };
}
