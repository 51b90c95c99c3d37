/**
 * A core's asset as `cdk synth` builds it. Python: the requirements installed without Docker and
 * without a network — pip installs from a wheelhouse the test builds (PIP_FIND_LINKS +
 * PIP_NO_INDEX), picking the wheel built for the function's architecture; a requirement with no
 * wheel fails the synth naming it; an asset over Lambda's 250 MB unzipped limit fails with its
 * largest packages. Node: a dependency with a native addon fails the synth, explained.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveProjectConfig } from '@gatehouse/contract';
import { buildWheelhouse } from '@gatehouse/testing';
import { App, Stack } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertUnzippedSize } from '../src/asset-size';
import { coreCode } from '../src/core-code';
import { GatehouseApi } from '../src/gatehouse-api';
import { installCommand } from '../src/python-dependencies';
import { ENV } from './synth';

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-python-asset-'));
const codeDir = path.join(dir, 'ask');
const PIP_VARIABLES = ['PIP_FIND_LINKS', 'PIP_NO_INDEX', 'GATEHOUSE_PYTHON'] as const;
const saved = Object.fromEntries(PIP_VARIABLES.map((name) => [name, process.env[name]]));

beforeAll(() => {
  const wheelhouse = buildWheelhouse(path.join(dir, 'wheelhouse'), [
    { name: 'tinypkg' },
    { name: 'tinynative', tag: 'cp312-cp312-manylinux2014_aarch64' },
    { name: 'tinynative', tag: 'cp312-cp312-manylinux2014_x86_64' },
  ]);
  // An sdist alone: Lambda would need it compiled for Linux, which --only-binary refuses to do here.
  const sdist = path.join(dir, 'sdistonly-1.0.0');
  mkdirSync(sdist);
  writeFileSync(path.join(sdist, 'PKG-INFO'), 'Metadata-Version: 2.1\nName: sdistonly\nVersion: 1.0.0\n');
  execFileSync('tar', ['czf', path.join(wheelhouse, 'sdistonly-1.0.0.tar.gz'), '-C', dir, 'sdistonly-1.0.0']);
  process.env.PIP_FIND_LINKS = wheelhouse;
  process.env.PIP_NO_INDEX = '1';
  delete process.env.GATEHOUSE_PYTHON;
  mkdirSync(codeDir);
  writeFileSync(path.join(codeDir, 'handler.py'), 'import tinynative\n\ndef handler(event, context):\n    return {}\n');
  mkdirSync(path.join(codeDir, '__pycache__'));
  writeFileSync(path.join(codeDir, '__pycache__', 'handler.cpython-312.pyc'), 'stale');
});

afterAll(() => {
  for (const name of PIP_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Stages the core's asset as `cdk synth` does (bundling on) and returns the staged folder. */
function stagedAsset(architecture: 'arm64' | 'x86_64'): string {
  const app = new App({ outdir: mkdtempSync(path.join(dir, 'cdk.out-')) });
  const stack = new Stack(app, 'Asset', { env: ENV });
  const { code } = coreCode({ runtime: 'python3.12', handler: 'handler.handler', architecture }, codeDir, {
    sourceMaps: false,
  });
  code.bind(stack);
  const staged = readdirSync(app.outdir).filter((f) => f.startsWith('asset.'));
  expect(staged).toHaveLength(1);
  return path.join(app.outdir, staged[0] ?? '');
}

describe('a Python core with requirements.txt, deployed', () => {
  it("installs each requirement's wheel for the function's architecture beside the code", () => {
    // Prepare
    writeFileSync(path.join(codeDir, 'requirements.txt'), 'tinypkg==1.0.0\ntinynative==1.0.0\n');

    // Act
    const arm = stagedAsset('arm64');
    const intel = stagedAsset('x86_64');

    // Assess
    expect(readdirSync(arm).sort()).toEqual(
      [
        'handler.py',
        'requirements.txt',
        'tinynative',
        'tinynative-1.0.0.dist-info',
        'tinypkg',
        'tinypkg-1.0.0.dist-info',
      ].sort(),
    );
    expect(readFileSync(path.join(arm, 'tinynative-1.0.0.dist-info', 'WHEEL'), 'utf8')).toContain(
      'Tag: cp312-cp312-manylinux2014_aarch64',
    );
    expect(readFileSync(path.join(intel, 'tinynative-1.0.0.dist-info', 'WHEEL'), 'utf8')).toContain(
      'Tag: cp312-cp312-manylinux2014_x86_64',
    );
    expect(path.basename(arm)).not.toBe(path.basename(intel));
  }, 60_000);

  it('hashes the asset over the code and the requirements: the same inputs reuse it, a changed file makes a new one', () => {
    // Prepare
    writeFileSync(path.join(codeDir, 'requirements.txt'), 'tinypkg==1.0.0\ntinynative==1.0.0\n');
    const first = path.basename(stagedAsset('arm64'));

    // Act
    const again = path.basename(stagedAsset('arm64'));
    writeFileSync(path.join(codeDir, 'requirements.txt'), 'tinypkg==1.0.0\n');
    const changedRequirements = path.basename(stagedAsset('arm64'));
    writeFileSync(path.join(codeDir, 'helpers.py'), 'ANSWER = 42\n');
    const changedCode = path.basename(stagedAsset('arm64'));

    // Assess
    expect(again).toBe(first);
    expect(new Set([first, changedRequirements, changedCode]).size).toBe(3);
  }, 60_000);

  it('fails the synth naming a requirement that has no wheel for the platform, and the ways out', () => {
    // Prepare
    writeFileSync(path.join(codeDir, 'requirements.txt'), 'tinypkg==1.0.0\nsdistonly==1.0.0\n');
    const project = resolveProjectConfig({
      routes: { 'GET /ask': { core: 'ask' } },
      cores: { ask: { runtime: 'python3.12', code: './ask', handler: 'handler.handler' } },
      origins: ['https://app.example.com'],
    });
    const stack = new Stack(new App({ outdir: mkdtempSync(path.join(dir, 'cdk.out-')) }), 'Shop', { env: ENV });

    // Act
    const synth = () =>
      new GatehouseApi(stack, 'Gatehouse', {
        project,
        configFile: path.join(dir, 'gatehouse.config.ts'),
        edgeCode: Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
      });

    // Assess
    expect(synth).toThrow(
      /^cores\.ask: .*requirements\.txt: "sdistonly(==1\.0\.0)?" has no wheel for Linux arm64 \(python3\.12\), and Lambda cannot build one\. Use a version that publishes a manylinux wheel, put the package in a layer/,
    );
  }, 60_000);
});

describe('the installer', () => {
  it("is uv when it is on PATH, for the function's platform and Python, wheels only; else pip with each manylinux tag", () => {
    // Prepare: a uv that answers --version, first on PATH
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'uv'), '#!/bin/sh\necho "uv 0.9.0"\n');
    chmodSync(path.join(bin, 'uv'), 0o755);
    const savedPath = process.env.PATH;
    const target = { runtime: 'python3.13', architecture: 'x86_64' } as const;

    // Act
    const pip = installCommand('req.txt', '/asset', target);
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    const uv = (() => {
      try {
        return installCommand('req.txt', '/asset', target);
      } finally {
        process.env.PATH = savedPath;
      }
    })();

    // Assess
    expect(uv).toEqual({
      tool: 'uv',
      command: 'uv',
      args: [
        'pip',
        'install',
        '--python-platform',
        'x86_64-manylinux2014',
        '--python-version',
        '3.13',
        '--only-binary',
        ':all:',
        '--target',
        '/asset',
        '-r',
        'req.txt',
      ],
    });
    expect(pip.tool).toBe('pip');
    expect(pip.args.join(' ')).toBe(
      '-m pip install --disable-pip-version-check --no-input --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 --platform manylinux_2_34_x86_64 --implementation cp --python-version 3.13 --only-binary=:all: --target /asset -r req.txt',
    );
  });
});

describe("Lambda's 250 MB unzipped limit", () => {
  it('fails with the size and the ten largest packages, largest first', () => {
    // Prepare: sparse files, so the test writes almost nothing to disk
    const asset = path.join(dir, 'oversize');
    const sizes = [180, 40, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3];
    sizes.forEach((megabytes, i) => {
      mkdirSync(path.join(asset, `pkg${i}`), { recursive: true });
      const fd = openSync(path.join(asset, `pkg${i}`, 'data.bin'), 'w');
      ftruncateSync(fd, megabytes * 2 ** 20);
      closeSync(fd);
    });

    // Act
    const check = () => assertUnzippedSize(asset);

    // Assess
    expect(check).toThrow(
      "the code unzipped is 295.0 MB, over Lambda's 250.0 MB limit (layers included). Largest: pkg0 180.0 MB, pkg1 40.0 MB, pkg2 12.0 MB, pkg3 11.0 MB, pkg4 10.0 MB, pkg5 9.0 MB, pkg6 8.0 MB, pkg7 7.0 MB, pkg8 6.0 MB, pkg9 5.0 MB. Drop what the core does not import, or move large packages to a layer or a container image",
    );
    expect(() => assertUnzippedSize(path.join(asset, 'pkg1'))).not.toThrow();
  });
});

describe('a Node core with a native addon, deployed', () => {
  it('fails the synth naming the package, for the architecture it deploys to', () => {
    // Prepare
    const nodeDir = path.join(dir, 'hashing');
    const pkg = path.join(nodeDir, 'node_modules', 'fast-hash');
    mkdirSync(path.join(pkg, 'prebuilds', 'linux-x64'), { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), '{"name":"fast-hash","version":"1.0.0","main":"index.js"}');
    writeFileSync(
      path.join(pkg, 'index.js'),
      "module.exports = require(require('node:path').join(__dirname, 'prebuilds', process.platform + '-' + process.arch, 'fast_hash.node'));\n",
    );
    writeFileSync(path.join(pkg, 'prebuilds', 'linux-x64', 'fast_hash.node'), 'ELF');
    writeFileSync(
      path.join(nodeDir, 'index.ts'),
      "import hash from 'fast-hash';\nexport const handler = async () => hash('x');\n",
    );
    const stack = new Stack(new App({ outdir: mkdtempSync(path.join(dir, 'cdk.out-')) }), 'Node', { env: ENV });

    // Act
    const bind = () =>
      coreCode({ runtime: 'nodejs22.x', handler: 'index.handler', architecture: 'arm64' }, nodeDir, {
        sourceMaps: false,
      }).code.bind(stack);

    // Assess
    expect(bind).toThrow(
      /fast-hash \(prebuilds\/linux-x64\/fast_hash\.node\) is a native addon: esbuild cannot bundle it, and one built on this machine does not load on Lambda \(Linux arm64\)/,
    );
  });
});
