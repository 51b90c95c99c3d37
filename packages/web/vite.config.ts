/**
 * Vite configuration for `vite build` / `vite preview` of the browser app. The project whose
 * config (route schemas) and panel the app bundles comes from `GATEHOUSE_CONFIG` (a path to its
 * `gatehouse.config.ts`); without it the app is the route console alone.
 */
import { defineConfig } from 'vite';
import { webViteSettings } from './vite-settings';

export default defineConfig(webViteSettings({ configFile: process.env.GATEHOUSE_CONFIG }));
