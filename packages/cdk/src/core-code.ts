/**
 * The Lambda code and handler of a core gatehouse deploys from the project's `code` folder, by
 * runtime: Node cores are bundled with esbuild (one ESM file, every dependency inside, so the
 * folder's `node_modules` never needs uploading), Python and `provided` cores upload the folder
 * as it is — the same folder the local stack runs, with the same handler string.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CoreRuntime } from '@gatehouse/contract';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';

export interface CoreCode {
  readonly code: Code;
  readonly handler: string;
  readonly runtime: Runtime;
}

const RUNTIMES: Record<CoreRuntime, Runtime> = {
  'nodejs20.x': Runtime.NODEJS_20_X,
  'nodejs22.x': Runtime.NODEJS_22_X,
  'python3.12': Runtime.PYTHON_3_12,
  'python3.13': Runtime.PYTHON_3_13,
  'provided.al2023': Runtime.PROVIDED_AL2023,
};

const NODE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];
/** Bytecode caches and local tooling: never part of what Lambda runs. */
const FOLDER_EXCLUDES = ['**/__pycache__', '**/*.pyc', '.venv', '.pytest_cache', '.mypy_cache', 'node_modules'];

/** @throws Error naming the folder or handler file that is missing. */
export function coreCode(
  core: { runtime: CoreRuntime; handler: string },
  codeDir: string,
  options: { sourceMaps: boolean },
): CoreCode {
  if (!existsSync(codeDir) || !statSync(codeDir).isDirectory()) {
    throw new Error(`the code folder ${codeDir} does not exist`);
  }
  const runtime = RUNTIMES[core.runtime];
  if (core.runtime.startsWith('nodejs')) return nodeCore(core.handler, codeDir, runtime, options);
  const exclude = core.runtime === 'provided.al2023' ? FOLDER_EXCLUDES.filter((e) => e !== 'node_modules') : [];
  return {
    code: Code.fromAsset(codeDir, { exclude: core.runtime.startsWith('python') ? FOLDER_EXCLUDES : exclude }),
    handler: core.handler,
    runtime,
  };
}

function nodeCore(handler: string, codeDir: string, runtime: Runtime, options: { sourceMaps: boolean }): CoreCode {
  const dot = handler.lastIndexOf('.');
  const file = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const entry = NODE_EXTENSIONS.map((ext) => path.join(codeDir, `${file}${ext}`)).find((f) => existsSync(f));
  if (!entry) {
    throw new Error(
      `handler "${handler}" names ${file}{${NODE_EXTENSIONS.join(',')}} in ${codeDir}, and none of them exists`,
    );
  }
  const target = runtime === Runtime.NODEJS_20_X ? 'node20' : 'node22';
  const code = Code.fromAsset(codeDir, {
    assetHashType: AssetHashType.OUTPUT,
    exclude: ['node_modules', '.git'],
    bundling: {
      // Required by the type; never pulled, because local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/lambda/nodejs:22'),
      local: {
        tryBundle(outputDir: string): boolean {
          const result = esbuild.buildSync({
            entryPoints: [entry],
            outfile: path.join(outputDir, 'index.mjs'),
            absWorkingDir: codeDir,
            bundle: true,
            platform: 'node',
            target,
            format: 'esm',
            minify: true,
            sourcemap: options.sourceMaps,
            sourcesContent: false,
            legalComments: 'none',
            logLevel: 'error',
            // CommonJS dependencies call require() for Node built-ins; ESM has no require of its own.
            banner: {
              js: "import{createRequire as __gatehouseRequire}from'node:module';const require=__gatehouseRequire(import.meta.url);",
            },
          });
          if (result.errors.length > 0) throw new Error(`esbuild could not bundle ${entry}: ${result.errors[0]?.text}`);
          return true;
        },
      },
    },
  });
  return { code, handler: `index.${exportName}`, runtime };
}
