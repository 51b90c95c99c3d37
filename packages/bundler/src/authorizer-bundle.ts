/**
 * The Lambda authorizer's bundle (the same for every project), resolved from this package so a
 * project needs no dependency on `@gatehouse/authorizer` of its own.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as esbuild from 'esbuild';
import { lambdaBuildOptions } from './lambda-build-options';

const require = createRequire(import.meta.url);

export function authorizerBundleOptions(outfile: string): esbuild.BuildOptions & { outfile: string } {
  const manifest = require.resolve('@gatehouse/authorizer/package.json');
  const { main } = JSON.parse(readFileSync(manifest, 'utf8')) as { main?: string };
  return lambdaBuildOptions(path.join(path.dirname(manifest), main ?? 'src/handler.ts'), outfile);
}
