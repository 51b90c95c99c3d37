/**
 * Bundles a Lambda package (`packages/<name>/src/handler.ts`) into `packages/<name>/dist/index.mjs`:
 * ESM, minified, Node 22, every dependency inside, with a source map. The same options serve
 * `npm run build`, the local stack's watch mode and the benchmarks, so what runs locally is what
 * would be uploaded.
 *
 * Usage: tsx scripts/bundle-lambda.ts <edge|core|…>
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export function lambdaEntry(name: string): string {
  return path.join(repoRoot, 'packages', name, 'src', 'handler.ts');
}

export function lambdaOutfile(name: string): string {
  return path.join(repoRoot, 'packages', name, 'dist', 'index.mjs');
}

export function lambdaBuildOptions(name: string): esbuild.BuildOptions & { outfile: string } {
  return {
    entryPoints: [lambdaEntry(name)],
    outfile: lambdaOutfile(name),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS dependencies call require() for Node built-ins; ESM has no require of its own.
    banner: {
      js: "import{createRequire as __gatehouseRequire}from'node:module';const require=__gatehouseRequire(import.meta.url);",
    },
  };
}

export async function bundleLambda(name: string): Promise<{ outfile: string; bytes: number }> {
  const options = lambdaBuildOptions(name);
  const result = await esbuild.build(options);
  const output = result.metafile?.outputs[path.relative(process.cwd(), options.outfile)];
  return { outfile: options.outfile, bytes: output?.bytes ?? 0 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: bundle-lambda <package name, e.g. edge>');
    process.exit(2);
  }
  const { outfile, bytes } = await bundleLambda(name);
  console.log(`${path.relative(process.cwd(), outfile)}  ${(bytes / 1024).toFixed(1)} KB`);
}
