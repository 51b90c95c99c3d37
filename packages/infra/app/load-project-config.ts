/**
 * Loads a project's `gatehouse.config.ts` the way Vite loads `vite.config.ts`: esbuild compiles it
 * (its own relative imports bundled in, packages left as imports) to a temporary `.mjs` beside it,
 * so those imports resolve from the project's own node_modules; the module is imported, the file
 * removed, and the default export checked by the contract's `resolveProjectConfig`.
 *
 * This lives in the app, not the construct library: a construct takes the resolved config, and how
 * a config file becomes one is the caller's business (the CLI will own the shared loader).
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ResolvedProjectConfig, resolveProjectConfig } from '@gatehouse/contract';
import * as esbuild from 'esbuild';
import { GatehouseConfigError } from '../src/errors';

/** @throws GatehouseConfigError when the file is missing or does not compile; ProjectConfigError when its config is wrong. */
export async function loadProjectConfigFile(file: string): Promise<ResolvedProjectConfig> {
  const configFile = path.resolve(file);
  if (!existsSync(configFile)) throw new GatehouseConfigError(`the project config ${configFile} does not exist`);
  const outfile = `${configFile}.timestamp-${Date.now()}-${process.pid}.mjs`;
  try {
    await esbuild.build({
      entryPoints: [configFile],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
  } catch (error) {
    throw new GatehouseConfigError(`${configFile} does not compile: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  try {
    const module = (await import(pathToFileURL(outfile).href)) as { default?: unknown };
    if (module.default === undefined) {
      throw new GatehouseConfigError(
        `${configFile} has no default export: end it with export default defineConfig({ … })`,
      );
    }
    return resolveProjectConfig(module.default, configFile);
  } finally {
    rmSync(outfile, { force: true });
  }
}
