/**
 * The Lambda code and handler of a core gatehouse deploys from the project's `code` folder, by
 * runtime: Node cores are bundled with esbuild (one ESM file, every dependency inside, so the
 * folder's `node_modules` never needs uploading), Python and `provided` cores upload the folder
 * as it is — the same folder the local stack runs, with the same handler string — a Python
 * folder with its `requirements.txt` installed beside the code for the function's platform.
 */
import { cpSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { findNativeAddons, nativeAddonMessage } from '@gatehouse/bundler';
import type { CoreArchitecture, CoreRuntime } from '@gatehouse/contract';
import { AssetHashType, DockerImage, FileSystem } from 'aws-cdk-lib';
import { Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';
import { assertUnzippedSize } from './asset-size';
import { installRequirements, REQUIREMENTS_FILE } from './python-dependencies';

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
const EXCLUDED_FOLDERS = ['__pycache__', '.venv', '.pytest_cache', '.mypy_cache', 'node_modules'];
const FOLDER_EXCLUDES = [...EXCLUDED_FOLDERS.map((folder) => `**/${folder}`), '**/*.pyc'];

/** @throws Error naming the folder or handler file that is missing. */
export function coreCode(
  core: { runtime: CoreRuntime; handler: string; architecture: CoreArchitecture },
  codeDir: string,
  options: { sourceMaps: boolean },
): CoreCode {
  if (!existsSync(codeDir) || !statSync(codeDir).isDirectory()) {
    throw new Error(`the code folder ${codeDir} does not exist`);
  }
  const runtime = RUNTIMES[core.runtime];
  if (core.runtime.startsWith('nodejs')) return nodeCore(core.handler, codeDir, runtime, core.architecture, options);
  if (core.runtime.startsWith('python')) return { code: pythonCode(core, codeDir), handler: core.handler, runtime };
  return {
    code: Code.fromAsset(codeDir, { exclude: FOLDER_EXCLUDES.filter((e) => e !== '**/node_modules') }),
    handler: core.handler,
    runtime,
  };
}

/**
 * The folder as it is, or — with a requirements file — the folder plus its dependencies, installed
 * at synth. The asset's hash covers the folder (requirements included), the runtime and the
 * architecture, so a change to any of them uploads a new asset and nothing else does.
 */
function pythonCode(core: { runtime: CoreRuntime; architecture: CoreArchitecture }, codeDir: string): Code {
  const requirements = path.join(codeDir, REQUIREMENTS_FILE);
  if (!existsSync(requirements)) {
    if (existsSync(path.join(codeDir, 'pyproject.toml'))) {
      throw new Error(
        `${codeDir} has a pyproject.toml but no ${REQUIREMENTS_FILE}: export the dependencies Lambda needs, e.g. ` +
          '`uv export --no-dev --no-hashes --no-emit-project -o requirements.txt` or `pip freeze > requirements.txt`',
      );
    }
    return Code.fromAsset(codeDir, { exclude: FOLDER_EXCLUDES });
  }
  const assetHash = [
    FileSystem.fingerprint(codeDir, { exclude: FOLDER_EXCLUDES }),
    core.runtime,
    core.architecture,
  ].join(':');
  return Code.fromAsset(codeDir, {
    exclude: FOLDER_EXCLUDES,
    assetHashType: AssetHashType.CUSTOM,
    assetHash,
    bundling: {
      // Required by the type; never pulled, because local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/lambda/python:3.12'),
      local: {
        tryBundle(outputDir: string): boolean {
          cpSync(codeDir, outputDir, { recursive: true, filter: (source) => !isExcluded(codeDir, source) });
          installRequirements(requirements, outputDir, core);
          assertUnzippedSize(outputDir);
          return true;
        },
      },
    },
  });
}

/** What FOLDER_EXCLUDES leaves out of an asset, for the copy a bundled asset starts from. */
function isExcluded(root: string, file: string): boolean {
  const parts = path.relative(root, file).split(path.sep);
  return parts.some((part) => EXCLUDED_FOLDERS.includes(part)) || file.endsWith('.pyc');
}

function nodeCore(
  handler: string,
  codeDir: string,
  runtime: Runtime,
  architecture: CoreArchitecture,
  options: { sourceMaps: boolean },
): CoreCode {
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
          const result = buildOrExplain(entry, architecture, {
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
            logLevel: 'silent',
            metafile: true,
            // CommonJS dependencies call require() for Node built-ins; ESM has no require of its own.
            banner: {
              js: "import{createRequire as __gatehouseRequire}from'node:module';const require=__gatehouseRequire(import.meta.url);",
            },
          });
          const addons = findNativeAddons(result.metafile ?? { inputs: {}, outputs: {} }, codeDir);
          if (addons.length > 0) throw new Error(nativeAddonMessage(addons, architecture));
          return true;
        },
      },
    },
  });
  return { code, handler: `index.${exportName}`, runtime };
}

/** esbuild's failure as one line; a `.node` file it cannot load is a native addon, explained. */
function buildOrExplain(
  entry: string,
  architecture: CoreArchitecture,
  options: esbuild.BuildOptions,
): esbuild.BuildResult {
  try {
    return esbuild.buildSync(options);
  } catch (error) {
    const first = (error as esbuild.BuildFailure).errors?.[0];
    if (first && /No loader is configured for "\.node" files/.test(first.text)) {
      const file = first.text.split(': ').pop() ?? first.text;
      const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file;
      throw new Error(nativeAddonMessage([{ packageName, file }], architecture), { cause: error });
    }
    throw new Error(`esbuild could not bundle ${entry}: ${first?.text ?? (error as Error).message}`, { cause: error });
  }
}
