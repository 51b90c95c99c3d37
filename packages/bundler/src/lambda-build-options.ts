/**
 * The esbuild options every gatehouse Lambda bundle is built with — ESM, minified, Node 22, every
 * dependency inside, a source map beside it — so the local stack runs exactly what would be
 * uploaded, and the construct uploads exactly what ran locally.
 */
import type * as esbuild from 'esbuild';

export function lambdaBuildOptions(entry: string, outfile: string): esbuild.BuildOptions & { outfile: string } {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    // gatehouse's packages ship their TypeScript source beside lib/ and name it with this export
    // condition: a Lambda bundle is built from the source, so it needs no prior build of them
    // (a fresh clone's `npm start`) and carries exactly what the tests ran. Other packages lack
    // the condition and resolve as usual.
    conditions: ['@gatehouse/source'],
    target: 'node22',
    format: 'esm',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    // CommonJS dependencies call require() for Node built-ins; ESM has no require of its own.
    banner: {
      js: "import{createRequire as __gatehouseRequire}from'node:module';const require=__gatehouseRequire(import.meta.url);",
    },
  };
}
