/**
 * Lambda code for the functions gatehouse itself ships — the edge and the Lambda authorizer — and
 * the adapter for a prebuilt edge bundle.
 *
 * The edge is built per project — gatehouse's edge with the project's routes and schemas inside —
 * by @gatehouse/bundler inside `cdk synth`, with the same esbuild options the local stack runs.
 * `edgeCodeFromBuild` plugs in any other build function: it runs before the construct (local
 * bundling in CDK is synchronous, a build function need not be) and hands over a `Code`.
 *
 * Why not `NodejsFunction`: it would need a second copy of the esbuild options (ESM banner, target,
 * minify). Bundling is local esbuild, so no Docker engine is needed. The asset hash is taken from
 * the bundle itself, so a change in `@gatehouse/contract` redeploys the functions that use it.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { authorizerBundleOptions, edgeBundleOptions, jobRunnerBundleOptions } from '@gatehouse/bundler';
import type { ResolvedProjectConfig } from '@gatehouse/contract';
import { AssetHashType, DockerImage, Validations } from 'aws-cdk-lib';
import { Code, type Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';

export type BundledPackage = 'edge' | 'authorizer' | 'job-runner';

/** Handler string for bundles written as `index.mjs` exporting `handler`. */
export const BUNDLE_HANDLER = 'index.handler';

/**
 * Bundled at synth with the options the local stack uses: the project's edge (its routes and
 * schemas inside, from `configFile`, with the route table of `project`, which is that file resolved), or the Lambda authorizer. `sourceMaps` ships `index.mjs.map` too.
 */
export function bundledCode(
  name: BundledPackage,
  options: { sourceMaps: boolean; configFile?: string | undefined; project?: ResolvedProjectConfig | undefined },
): Code {
  const optionsFor = (outfile: string): esbuild.BuildOptions => {
    if (name === 'authorizer') return authorizerBundleOptions(outfile);
    if (name === 'job-runner') return jobRunnerBundleOptions(outfile);
    if (!options.configFile || !options.project) {
      throw new Error(
        'the edge is bundled from the project config: pass configFile (the gatehouse.config.ts the project came from), or edgeCode',
      );
    }
    return edgeBundleOptions(options.configFile, outfile, options.project);
  };
  // The asset's source folder only names it; the hash is the bundle's own (AssetHashType.OUTPUT).
  const sourceDir =
    name === 'job-runner'
      ? EDGE_DIR
      : options.configFile
        ? path.dirname(path.resolve(options.configFile))
        : AUTHORIZER_DIR;
  return Code.fromAsset(sourceDir, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never pulled, because local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/lambda/nodejs:22'),
      local: {
        tryBundle(outputDir: string): boolean {
          const result = esbuild.buildSync({
            ...optionsFor(path.join(outputDir, 'index.mjs')),
            sourcemap: options.sourceMaps,
            metafile: false,
            logLevel: 'error',
          });
          if (result.errors.length > 0) {
            throw new Error(`esbuild could not bundle the ${name}: ${result.errors[0]?.text}`);
          }
          return true;
        },
      },
    },
  });
}

const AUTHORIZER_DIR = path.dirname(createRequire(import.meta.url).resolve('@gatehouse/authorizer/package.json'));
const EDGE_DIR = path.dirname(createRequire(import.meta.url).resolve('@gatehouse/edge/package.json'));

/** What a per-project edge build takes: the project's config file and the folder to write `index.mjs` to. */
export type EdgeBundleBuild = (options: { configFile: string; outdir: string }) => unknown;

/**
 * Runs a per-project edge build into a fresh folder and returns its output as the edge's code.
 *
 * @example
 * const edgeCode = await edgeCodeFromBuild(buildEdgeBundle, { configFile: 'gatehouse.config.ts' });
 * new GatehouseApi(stack, 'Api', { project, configFile, edgeCode });
 */
export async function edgeCodeFromBuild(
  build: EdgeBundleBuild,
  options: { configFile: string; outdir?: string },
): Promise<Code> {
  const outdir = options.outdir ?? mkdtempSync(path.join(tmpdir(), 'gatehouse-edge-'));
  await build({ configFile: path.resolve(options.configFile), outdir });
  return Code.fromAsset(outdir, { assetHashType: AssetHashType.SOURCE });
}

/** The functions gatehouse ships run on the runtime they are built and tested for. */
export function acknowledgeRuntime(fn: LambdaFunction): void {
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Node.js 22 is the runtime the gatehouse edge and authorizer are built and tested for (docs/DEPLOY.md); ' +
      'moving to a newer runtime is a deliberate upgrade with its own cold-start measurements.',
  });
}
