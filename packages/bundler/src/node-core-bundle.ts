/**
 * A Node.js core, bundled as Lambda would run it: the file its handler string names
 * (`src/handler.handler` → `src/handler.ts`, `.mts`, `.js` or `.mjs` in the core's folder) becomes
 * `index.mjs`, and its handler `index.<export>`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as esbuild from 'esbuild';
import { lambdaBuildOptions } from './lambda-build-options';
import { nativeAddonGuard } from './native-addons';

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];

export interface NodeCoreBundle {
  options: esbuild.BuildOptions & { outfile: string };
  /** The handler string for the bundle: `index.<export>`. */
  handler: string;
}

export class HandlerFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerFileError';
  }
}

/** `architecture`: the deployed function's, named when a native addon could not run there. */
export function nodeCoreBundle(
  codeDir: string,
  handler: string,
  outfile: string,
  architecture = 'arm64',
): NodeCoreBundle {
  const dot = handler.lastIndexOf('.');
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const candidates = EXTENSIONS.map((extension) => path.join(codeDir, `${modulePath}${extension}`));
  const entry = candidates.find((file) => existsSync(file));
  if (!entry) {
    throw new HandlerFileError(
      `The handler "${handler}" names ${modulePath}, but none of ${candidates.map((c) => path.relative(process.cwd(), c)).join(', ')} exists. ` +
        "Fix `handler` (<file without extension>.<export>) or `code` in the core's config.",
    );
  }
  return {
    options: { ...lambdaBuildOptions(entry, outfile), plugins: [nativeAddonGuard(architecture)] },
    handler: `${path.basename(outfile, '.mjs')}.${exportName}`,
  };
}
