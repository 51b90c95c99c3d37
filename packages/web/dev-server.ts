/**
 * Starts the web app's Vite dev server with a given runtime configuration. `gatehouse dev` and the
 * browser tests call this so that each stack (the developer's, or a test's on free ports) serves
 * its own `gatehouse-config.json` without writing into the source tree. Port 0 picks a free port;
 * the returned `url` carries the real one.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { WebConfig } from '@gatehouse/contract';
import { createServer } from 'vite';
import { webConfigPlugin } from './web-config-plugin';

export interface WebDevServer {
  url: string;
  close(): Promise<void>;
}

export async function startWebDevServer(options: {
  host: string;
  port: number;
  webConfig: WebConfig;
}): Promise<WebDevServer> {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const server = await createServer({
    root,
    configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
    plugins: [webConfigPlugin(() => options.webConfig)],
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
