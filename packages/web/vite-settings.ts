/**
 * The web app's Vite settings, shared by `vite.config.ts` (build, preview) and the dev server the
 * local stack starts, which passes the project config it runs. The runtime configuration is not
 * part of the build: `gatehouse-config.json` is served beside the app (from memory by the dev
 * server, written into `dist/` by the deploy), so one build runs against any stack.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, type InlineConfig } from 'vite';
import { type ProjectPluginOptions, projectPlugin } from './project-plugin';

/** The package's own folder (index.html, src/), found the same from its source and from its built lib/. */
export const WEB_ROOT = path.dirname(createRequire(import.meta.url).resolve('@gatehouse/web/package.json'));

export function webViteSettings(project: ProjectPluginOptions): InlineConfig {
  return {
    root: WEB_ROOT,
    configFile: false,
    plugins: [react(), projectPlugin(project)],
    // gatehouse's packages ship their TypeScript source beside lib/; the app compiles it as its own.
    resolve: { conditions: ['@gatehouse/source', ...defaultClientConditions] },
    build: {
      target: 'es2022',
      sourcemap: true,
      // Amplify UI's Authenticator is most of the first load; a warning above the budget is the signal to look.
      chunkSizeWarningLimit: 900,
    },
  };
}
