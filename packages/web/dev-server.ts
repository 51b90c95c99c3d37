/**
 * Starts the web app's Vite dev server with a given runtime configuration and project. `gatehouse
 * dev` and the browser tests call this so that each stack (the developer's, or a test's on free
 * ports) serves its own `gatehouse-config.json` without writing into the source tree. Port 0 picks
 * a free port; the returned `url` carries the real one.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { WebConfig } from '@gatehouse/contract';
import { createServer, resolveConfig } from 'vite';
import { WEB_ROOT, webViteSettings } from './vite-settings';
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
  /**
   * The config's `web.panel` module, resolved. The app imports it lazily, out of the reach of
   * Vite's first scan: named here, its dependencies are pre-bundled at start, where found only when
   * the page first loads it they would be bundled then and every open page reloaded.
   */
  panelFile?: string;
  /**
   * The local stack's state directory (signing key, local credential): never served, wherever it
   * is — inside the workspace (`npm start`'s `./.gatehouse`) Vite would otherwise serve it under
   * `/@fs/`.
   */
  stateDir?: string;
}

export async function startWebDevServer(options: WebDevServerOptions): Promise<WebDevServer> {
  const settings = webViteSettings({ configFile: options.projectConfigFile });
  const server = await createServer({
    ...settings,
    cacheDir: dependencyCache(options.projectConfigFile),
    ...(options.panelFile ? { optimizeDeps: { entries: ['index.html', options.panelFile] } } : {}),
    plugins: [...(settings.plugins ?? []), webConfigPlugin(() => options.webConfig)],
    server: {
      host: options.host,
      port: options.port,
      strictPort: true,
      // The app's pages are same-origin; no other page, on localhost or not, may read an answer.
      cors: false,
      fs: { deny: await deniedFiles(options.stateDir) },
    },
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

/**
 * Where Vite keeps the app's pre-bundled dependencies: one cache per project, beside Vite's default
 * (`node_modules/.vite` in the app's folder). One shared cache would be rewritten by every dev
 * server whose project brings other dependencies (its schemas' validator, its panel's imports), and
 * a page whose pre-bundled chunks changed under it is reloaded by Vite's client — two projects'
 * stacks on one machine (or this repository's tests) would reload each other's pages.
 */
function dependencyCache(projectConfigFile: string | undefined): string {
  const key = projectConfigFile
    ? createHash('sha256').update(path.resolve(projectConfigFile)).digest('hex').slice(0, 16)
    : 'no-project';
  return path.join(WEB_ROOT, 'node_modules', '.vite', key);
}

/** Vite's own deny list (setting one replaces it) and the state directory, by its path and its real path. */
async function deniedFiles(stateDir: string | undefined): Promise<string[]> {
  const defaults = (await resolveConfig({ configFile: false, logLevel: 'silent' }, 'serve')).server.fs.deny;
  if (!stateDir) return defaults;
  const absolute = path.resolve(stateDir);
  let real = absolute;
  try {
    real = realpathSync(absolute);
  } catch {
    // not created yet: its path is what Vite would see
  }
  const globs = [...new Set([absolute, real])].flatMap((dir) => [escapeGlob(dir), `${escapeGlob(dir)}/**`]);
  return [...defaults, ...globs];
}

/** A path as a glob matching exactly itself (picomatch's special characters escaped). */
function escapeGlob(file: string): string {
  return file
    .split(path.sep)
    .join('/')
    .replace(/[*?[\]{}()!+@|]/g, '\\$&');
}
