/**
 * `npm run build`'s Lambda bundles, with the options every gatehouse bundle uses (@gatehouse/bundler):
 * the Lambda authorizer (the same for every project) into `packages/authorizer/dist/index.mjs`, and
 * a project's edge — gatehouse's edge with that project's routes and schemas — into
 * `<project>/.gatehouse/build/edge/index.mjs`.
 *
 * Usage: tsx scripts/bundle-lambda.ts authorizer | edge [config file, default the sample's]
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { edgeBundleOptions, lambdaBuildOptions, loadProjectConfig } from '@gatehouse/bundler';
import * as esbuild from 'esbuild';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const SAMPLE_CONFIG = path.join(repoRoot, 'examples', 'figures', 'gatehouse.config.ts');

const require = createRequire(import.meta.url);

export function authorizerBuildOptions(): esbuild.BuildOptions & { outfile: string } {
  const dir = path.dirname(require.resolve('@gatehouse/authorizer/package.json'));
  return lambdaBuildOptions(path.join(dir, 'src', 'handler.ts'), path.join(dir, 'dist', 'index.mjs'));
}

export function projectEdgeOutfile(configFile: string): string {
  return path.join(path.dirname(configFile), '.gatehouse', 'build', 'edge', 'index.mjs');
}

/** A project's edge, its config loaded and checked first (the bundle carries the resolved route table). */
export async function projectEdgeBuildOptions(configFile: string): Promise<esbuild.BuildOptions & { outfile: string }> {
  const { resolved } = await loadProjectConfig(configFile);
  return edgeBundleOptions(configFile, projectEdgeOutfile(configFile), resolved);
}

export async function bundle(
  options: esbuild.BuildOptions & { outfile: string },
): Promise<{ outfile: string; bytes: number }> {
  const result = await esbuild.build(options);
  const output = Object.entries(result.metafile?.outputs ?? {}).find(([file]) => file.endsWith('.mjs'));
  return { outfile: options.outfile, bytes: output?.[1].bytes ?? 0 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [name, config = SAMPLE_CONFIG] = process.argv.slice(2);
  if (name !== 'authorizer' && name !== 'edge') {
    console.error('usage: bundle-lambda authorizer | edge [config file]');
    process.exit(2);
  }
  const options = name === 'edge' ? await projectEdgeBuildOptions(config) : authorizerBuildOptions();
  const { outfile, bytes } = await bundle(options);
  console.log(`${path.relative(process.cwd(), outfile)}  ${(bytes / 1024).toFixed(1)} KB`);
}
