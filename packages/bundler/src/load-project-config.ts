/**
 * Reads a project's `gatehouse.config.ts` (or `.js`, `.mjs`, `.mts`) the way Vite reads its own
 * config: esbuild compiles it to a temporary module beside it (so its imports resolve from the
 * project's `node_modules`), Node imports that, and the temporary file is removed. Nothing at run
 * time needs a TypeScript loader. The default export is then checked by `resolveProjectConfig`.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type GatehouseConfig, type ResolvedProjectConfig, resolveProjectConfig } from '@gatehouse/contract';
import * as esbuild from 'esbuild';

export const DEFAULT_CONFIG_FILE = 'gatehouse.config.ts';

export interface LoadedProjectConfig {
  /** Absolute path of the config file. */
  file: string;
  /** The folder core `code` paths are relative to. */
  dir: string;
  /** The default export, as written (schemas included). */
  config: GatehouseConfig;
  resolved: ResolvedProjectConfig;
}

export class ConfigFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigFileError';
  }
}

export async function loadProjectConfig(file: string): Promise<LoadedProjectConfig> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) {
    throw new ConfigFileError(
      `No gatehouse config at ${absolute}. Create one with \`npx gatehouse init\`, or name another with --config <file>.`,
    );
  }
  const temporary = `${absolute}.${process.pid}-${Date.now()}.mjs`;
  let exported: unknown;
  try {
    await esbuild.build({
      entryPoints: [absolute],
      outfile: temporary,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    exported = ((await import(pathToFileURL(temporary).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new ConfigFileError(`Could not load ${absolute}: ${firstLine(error)}`, { cause: error });
  } finally {
    rmSync(temporary, { force: true });
  }
  if (exported === undefined) {
    throw new ConfigFileError(`${absolute} has no default export: end it with \`export default defineConfig({ … })\`.`);
  }
  const resolved = resolveProjectConfig(exported, path.relative(process.cwd(), absolute) || absolute);
  return { file: absolute, dir: path.dirname(absolute), config: exported as GatehouseConfig, resolved };
}

function firstLine(error: unknown): string {
  const failure = error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> };
  const first = failure.errors?.[0];
  if (first) return first.location ? `${first.text} (${first.location.file}:${first.location.line})` : first.text;
  return error instanceof Error ? error.message : String(error);
}
