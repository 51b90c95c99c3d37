/**
 * `gatehouse`: the command, and what a project's `gatehouse.config.ts` imports — so an adopter
 * names one package: `import { defineConfig } from 'gatehouse'`.
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
export { main } from './cli/main';
