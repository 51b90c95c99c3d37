/**
 * `npm run build`'s package step: each publishable package's `lib/` — its entry points bundled by
 * esbuild (ESM for Node, its own files inside, every package it names left as an import), the
 * files it reads at run time copied beside them, and `.d.ts` declarations from one `tsc` program.
 *
 * The entries are the package's `exports`: each entry with the `@gatehouse/source` condition names
 * its source file (used in this repository, no build needed) and its `default` the file built here.
 *
 * Usage: tsx scripts/build-packages.ts
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The publishable packages, and the files each one reads at run time (source → beside its lib/). */
export const PUBLISHED: ReadonlyArray<{ dir: string; assets?: Record<string, string> }> = [
  { dir: 'packages/contract' },
  { dir: 'packages/edge' },
  { dir: 'packages/authorizer' },
  { dir: 'packages/bundler' },
  {
    dir: 'packages/local',
    assets: { 'src/lambda/runtimes': 'lib/runtimes' },
  },
  { dir: 'packages/cli' },
  { dir: 'packages/cdk' },
  { dir: 'packages/client' },
  { dir: 'packages/web' },
  { dir: 'examples/figures' },
];

type ExportEntry = string | { '@gatehouse/source'?: string; types?: string; default?: string };

/** Built file → source file, from the package's `exports`. */
function entries(dir: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as {
    exports: Record<string, ExportEntry>;
  };
  const result: Record<string, string> = {};
  for (const entry of Object.values(manifest.exports)) {
    if (typeof entry === 'string' || !entry['@gatehouse/source'] || !entry.default) continue;
    result[entry.default] = entry['@gatehouse/source'];
  }
  return result;
}

async function bundlePackage(dir: string, assets: Record<string, string>): Promise<void> {
  const root = path.join(repoRoot, dir);
  rmSync(path.join(root, 'lib'), { recursive: true, force: true });
  const entryPoints = Object.entries(entries(dir)).map(([out, source]) => ({
    in: path.join(root, source),
    out: path.join(root, out).replace(/\.js$/, ''),
  }));
  await esbuild.build({
    entryPoints,
    outdir: root,
    bundle: true,
    splitting: true,
    chunkNames: 'lib/chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    logLevel: 'warning',
  });
  for (const [from, to] of Object.entries(assets))
    cpSync(path.join(root, from), path.join(root, to), { recursive: true });
}

/** One tsc program for every package's declarations, then each package's share moved into its lib/types. */
function declarations(): void {
  const outDir = path.join(repoRoot, 'node_modules', '.cache', 'gatehouse-types');
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  for (const { dir } of PUBLISHED) {
    const from = path.join(outDir, dir);
    if (!existsSync(from)) continue;
    const to = path.join(repoRoot, dir, 'lib', 'types');
    cpSync(from, to, { recursive: true });
    for (const file of declarationFiles(to))
      writeFileSync(file, withExplicitExtensions(file, readFileSync(file, 'utf8')));
  }
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.d.ts'))
    .map((name) => path.join(dir, name));
}

/**
 * The sources import without extensions (bundler resolution); under `node16`/`nodenext` an ESM
 * package's declarations must name the file, or TypeScript resolves nothing and every gatehouse type
 * silently becomes `any`. So each relative specifier gets the `.js` the declaration stands for.
 */
export function withExplicitExtensions(file: string, text: string): string {
  return text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g, (whole, lead, quote, specifier) => {
    if (/\.(js|mjs|cjs|json)$/.test(specifier)) return whole;
    const base = path.resolve(path.dirname(file), specifier);
    if (existsSync(`${base}.d.ts`)) return `${lead}${quote}${specifier}.js${quote}`;
    if (existsSync(path.join(base, 'index.d.ts'))) return `${lead}${quote}${specifier}/index.js${quote}`;
    return whole;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = performance.now();
  for (const { dir, assets } of PUBLISHED) await bundlePackage(dir, assets ?? {});
  declarations();
  console.log(`packages built into lib/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
