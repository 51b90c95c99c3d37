/**
 * A Node core whose dependency ships a native addon fails its build with the package named and
 * the ways out — whether the core requires the `.node` file where esbuild sees it, or loads it by a
 * path computed at run time (as `bindings` and `node-gyp-build` do), which esbuild cannot see.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleBuildError, buildAll } from '../src/bundle-builder';
import { nodeCoreBundle } from '../src/node-core-bundle';

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A core folder whose handler imports `pkg`, which loads its addon the way `loader` says. */
function coreUsing(name: string, loader: string): string {
  const codeDir = path.join(dir, name);
  const pkg = path.join(codeDir, 'node_modules', 'fast-hash');
  mkdirSync(path.join(pkg, 'build', 'Release'), { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), '{"name":"fast-hash","version":"1.0.0","main":"index.js"}');
  writeFileSync(path.join(pkg, 'index.js'), loader);
  writeFileSync(path.join(pkg, 'build', 'Release', 'fast_hash.node'), Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  writeFileSync(
    path.join(codeDir, 'handler.ts'),
    "import { hash } from 'fast-hash';\nexport const handler = async () => hash('x');\n",
  );
  return codeDir;
}

async function build(codeDir: string, architecture?: string): Promise<unknown> {
  const bundle = nodeCoreBundle(codeDir, 'handler.handler', path.join(codeDir, 'out', 'index.mjs'), architecture);
  return buildAll([{ name: 'core hashing', options: bundle.options }], false, () => {}).then(
    (built) => built.dispose(),
    (error: unknown) => error,
  );
}

describe('a Node core with a native addon', () => {
  it('fails on a .node file required where esbuild sees it, naming the package', async () => {
    // Act
    const failure = await build(coreUsing('static', "module.exports = require('./build/Release/fast_hash.node');\n"));

    // Assess
    expect(failure).toBeInstanceOf(BundleBuildError);
    expect((failure as Error).message).toMatch(
      /fast-hash \(\.\/build\/Release\/fast_hash\.node\) is a native addon: esbuild cannot bundle it, and one built on this machine does not load on Lambda \(Linux arm64\)\. Use a pure-JavaScript package instead, or mark fast-hash external and ship it in a layer installed for Lambda: npm install --os=linux --cpu=arm64 fast-hash/,
    );
  });

  it('fails on an addon loaded by a path computed at run time, for the core’s architecture', async () => {
    // Act
    const failure = await build(
      coreUsing(
        'dynamic',
        "const path = require('node:path');\nmodule.exports = require(path.join(__dirname, 'build', 'Release', 'fast_hash' + '.node'));\n",
      ),
      'x86_64',
    );

    // Assess
    expect((failure as Error).message).toMatch(
      /fast-hash \(build\/Release\/fast_hash\.node\) is a native addon: .*Linux x64.*npm install --os=linux --cpu=x64 fast-hash/,
    );
  });

  it('builds a core whose dependencies are plain JavaScript', async () => {
    // Prepare
    const codeDir = coreUsing('plain', 'exports.hash = (s) => s.length;\n');
    rmSync(path.join(codeDir, 'node_modules', 'fast-hash', 'build'), { recursive: true });

    // Act
    const result = await build(codeDir);

    // Assess
    expect(result).toBeUndefined();
  });
});
