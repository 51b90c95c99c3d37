/**
 * Lambda code for the edge and the sample core, bundled by the repository's own esbuild options
 * (scripts/bundle-lambda.ts) inside `cdk synth`.
 *
 * Why not `NodejsFunction`: it would need a second copy of the esbuild options (ESM banner, target,
 * minify), and the bundle the local stack runs would no longer be byte-for-byte the one uploaded.
 * Bundling is local esbuild, so no Docker engine is needed. The asset hash is taken from the bundle
 * itself, so a change in `@gatehouse/contract` redeploys both functions and nothing else does.
 */
import path from 'node:path';
import { authorizerBundleOptions, edgeBundleOptions, nodeCoreBundle } from '@gatehouse/build';
import { AssetHashType, DockerImage, Validations } from 'aws-cdk-lib';
import { Code, type Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';

export type BundledPackage = 'edge' | 'core' | 'authorizer';

/** The project this app deploys until it reads a project config of its own: the repository's sample. */
const PROJECT_CONFIG = path.resolve(
  import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
  '../../../examples/figures/gatehouse.config.ts',
);

function buildOptions(name: BundledPackage, outfile: string): esbuild.BuildOptions {
  if (name === 'edge') return edgeBundleOptions(PROJECT_CONFIG, outfile);
  if (name === 'authorizer') return authorizerBundleOptions(outfile);
  return nodeCoreBundle(path.join(path.dirname(PROJECT_CONFIG), 'core'), 'src/handler.handler', outfile).options;
}

/** Handler string for bundles written as `index.mjs` exporting `handler`. */
export const BUNDLE_HANDLER = 'index.handler';

export function bundledCode(name: BundledPackage): Code {
  const sourceDir = path.dirname(PROJECT_CONFIG);
  return Code.fromAsset(sourceDir, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never pulled, because local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/lambda/nodejs:22'),
      local: {
        tryBundle(outputDir: string): boolean {
          const result = esbuild.buildSync({
            ...buildOptions(name, path.join(outputDir, 'index.mjs')),
            metafile: false,
            logLevel: 'error',
          });
          if (result.errors.length > 0) {
            throw new Error(`esbuild could not bundle packages/${name}: ${result.errors[0]?.text}`);
          }
          return true;
        },
      },
    },
  });
}

/** The edge and the sample core run on the same runtime for the same reason. */
export function acknowledgeRuntime(fn: LambdaFunction): void {
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Node.js 22 is the runtime gatehouse is built and tested for (ARCHITECTURE.md); moving to a newer runtime ' +
      'is a deliberate upgrade with its own cold-start measurements, not an automatic one.',
  });
}
