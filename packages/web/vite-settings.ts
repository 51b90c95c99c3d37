/**
 * The web app's Vite settings, shared by `vite.config.ts` (build, preview) and the dev server the
 * local stack starts, which passes the project config it runs. The runtime configuration is not
 * part of the build: `gatehouse-config.json` is served beside the app (from memory by the dev
 * server, written into `dist/` by the deploy), so one build runs against any stack.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { InlineConfig } from 'vite';
import { type ProjectPluginOptions, projectPlugin } from './project-plugin';

export const WEB_ROOT = fileURLToPath(new URL('.', import.meta.url));

export function webViteSettings(project: ProjectPluginOptions): InlineConfig {
  return {
    root: WEB_ROOT,
    configFile: false,
    plugins: [react(), projectPlugin(project)],
    build: {
      target: 'es2022',
      sourcemap: true,
      // Amplify UI's Authenticator is most of the first load; a warning above the budget is the signal to look.
      chunkSizeWarningLimit: 900,
    },
  };
}
