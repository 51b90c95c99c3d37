/**
 * A Vite plugin that gives the app its project as the module `virtual:gatehouse-project`: the
 * project config (for the route console's schemas) and, when the config names one under
 * `web.panel`, the project's own page as a lazy React component. Generated from the config's folder,
 * so the app's source never names a project, and a project's page never becomes part of this package.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Plugin, ViteDevServer } from 'vite';

const ID = 'virtual:gatehouse-project';
const RESOLVED = `\0${ID}`;

export interface ProjectPluginOptions {
  /** The project's `gatehouse.config.ts`; without it the app has no bundled config and no panel. */
  configFile?: string;
  /** Overrides the config's `web.panel` (a module path; relative ones are to the config's folder). */
  panel?: string;
}

export function projectPlugin(options: ProjectPluginOptions): Plugin {
  const configFile = options.configFile ? resolve(options.configFile) : undefined;
  if (configFile && !existsSync(configFile)) throw new Error(`project config ${configFile} does not exist`);
  let server: ViteDevServer | undefined;
  return {
    name: 'gatehouse-project',
    configureServer: (dev) => {
      server = dev;
    },
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      if (!configFile) return 'export const projectConfig = undefined;\nexport const ProjectPanel = undefined;\n';
      const panel = options.panel ?? (await panelOf(configFile, server, (file) => this.addWatchFile(file)));
      const panelFile = panel ? resolve(dirname(configFile), panel) : undefined;
      return [
        `import projectConfig from ${JSON.stringify(configFile)};`,
        'export { projectConfig };',
        panelFile
          ? `import { lazy } from 'react';\nexport const ProjectPanel = lazy(() => import(${JSON.stringify(panelFile)}));`
          : 'export const ProjectPanel = undefined;',
        '',
      ].join('\n');
    },
  };
}

/**
 * `web.panel` from the config. The dev server loads the config through Vite itself (TypeScript
 * included); a production build imports it with Node, which needs a loader for `.ts` (tsx).
 */
async function panelOf(
  configFile: string,
  server: ViteDevServer | undefined,
  watch: (file: string) => void,
): Promise<string | undefined> {
  watch(configFile);
  const module = server ? await server.ssrLoadModule(configFile) : await import(configFile);
  const config = (module as { default?: { web?: { panel?: unknown } } }).default;
  const panel = config?.web?.panel;
  return typeof panel === 'string' ? panel : undefined;
}
