/**
 * `gatehouse`: what a project's `gatehouse.config.ts` imports — `import { defineConfig } from
 * 'gatehouse'` — and nothing else, because the config is bundled into the project's edge Lambda:
 * the command itself is `gatehouse/cli`, so none of it (emulators, esbuild) reaches the edge.
 */
export {
  type AuthOption,
  type CoreConfig,
  type CoreRuntime,
  defineConfig,
  type GatehouseConfig,
  type RouteConfig,
  type RouteInput,
} from '@gatehouse/contract';
