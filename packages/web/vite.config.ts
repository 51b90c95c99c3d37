/**
 * Vite configuration for the browser app. The runtime configuration is not part of the build:
 * `gatehouse-config.json` is served beside the app (from memory by the dev server, written into
 * `dist/` by the deploy), so one build runs against any stack.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    sourcemap: true,
    // Amplify UI's Authenticator is most of the first load; a warning above the budget is the signal to look.
    chunkSizeWarningLimit: 900,
  },
});
