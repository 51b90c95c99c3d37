/**
 * A Vite plugin that gives the app its project as the module `virtual:gatehouse-project`: each
 * route's description and input JSON Schema (for the route console's forms) and, when the config
 * names one under `web.panel`, the project's own page as a lazy React component. Generated from
 * the config's folder, so the app's source never names a project, and a project's page never
 * becomes part of this package.
 *
 * The config is loaded here, in Node, and only that projection is written into the module: the
 * browser bundle never imports the config itself, whose cores, environment variables, ARNs and
 * origins are no business of a browser (a bundler cannot drop an object literal's unused fields).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Plugin, ViteDevServer } from 'vite';
import type { BundledRoutes } from './src/console/console-routes';
import { inputJsonSchema } from './src/console/schema-form';

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
      if (!configFile) return 'export const projectRoutes = undefined;\nexport const ProjectPanel = undefined;\n';
      const config = await loadConfig(configFile, server, (file) => this.addWatchFile(file));
      const panel = options.panel ?? (typeof config?.web?.panel === 'string' ? config.web.panel : undefined);
      const panelFile = panel ? resolve(dirname(configFile), panel) : undefined;
      return [
        `export const projectRoutes = ${JSON.stringify(bundledRoutes(config))};`,
        panelFile
          ? `import { lazy } from 'react';\nexport const ProjectPanel = lazy(() => import(${JSON.stringify(panelFile)}));`
          : 'export const ProjectPanel = undefined;',
        '',
      ].join('\n');
    },
  };
}

interface LoadedConfig {
  routes?: Record<string, { description?: unknown; schema?: StandardSchemaV1 }>;
  web?: { panel?: unknown };
}

/**
 * The config's default export. The dev server loads it through Vite itself (TypeScript included);
 * a production build imports it with Node, which needs a loader for `.ts` (tsx).
 */
async function loadConfig(
  configFile: string,
  server: ViteDevServer | undefined,
  watch: (file: string) => void,
): Promise<LoadedConfig | undefined> {
  watch(configFile);
  const module = server ? await server.ssrLoadModule(configFile) : await import(configFile);
  return (module as { default?: LoadedConfig }).default;
}

/** Per route key: its description and its input's JSON Schema, and nothing else of the config. */
function bundledRoutes(config: LoadedConfig | undefined): BundledRoutes {
  const routes: Record<string, BundledRoutes[string]> = {};
  for (const [key, route] of Object.entries(config?.routes ?? {})) {
    const inputSchema = inputJsonSchema(route.schema);
    routes[key] = {
      ...(typeof route.description === 'string' ? { description: route.description } : {}),
      ...(inputSchema ? { inputSchema } : {}),
    };
  }
  return routes;
}
