/**
 * `gatehouse synth` as a user runs it — the built command, gatehouse's one CDK app (cdk-nag, the
 * strict template validator), real bundling of the edge and the core — on the repository's sample:
 * the cloud assembly written offline, and the resource table printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_CONFIG } from '@gatehouse/testing';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const outdir = mkdtempSync(path.join(tmpdir(), 'gatehouse-synth-'));

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('gatehouse synth', () => {
  it('writes the cloud assembly offline with both functions bundled, nag satisfied, and prints the resources', () => {
    // Act
    const run = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, 'packages', 'cli', 'bin', 'gatehouse.mjs'),
        'synth',
        '--config',
        SAMPLE_CONFIG,
        '--output',
        outdir,
        '--',
        '-c',
        'allowedOrigins=https://app.example.com',
      ],
      { cwd: repoRoot, encoding: 'utf8', timeout: 150_000, env: { ...process.env, NO_COLOR: '1' } },
    );

    // Assess
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/Stack Gatehouse: \d+ resources/);
    expect(run.stdout).toMatch(/AWS::Lambda::Function +2/);
    expect(run.stdout).toContain('cdk-nag (AwsSolutions): no unacknowledged findings');
    const template = JSON.parse(readFileSync(path.join(outdir, 'Gatehouse.template.json'), 'utf8'));
    const functions = Object.values(
      template.Resources as Record<string, { Type: string; Properties: { Code: { S3Key: string } } }>,
    ).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      const asset = path.join(outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      expect(existsSync(path.join(asset, 'index.mjs'))).toBe(true);
      // No source map ships unless asked for (docs/DEPLOY.md: it costs every cold start).
      expect(existsSync(path.join(asset, 'index.mjs.map'))).toBe(false);
    }
  }, 180_000);

  it('fails with the config file named when there is none', () => {
    const run = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, 'packages', 'cli', 'bin', 'gatehouse.mjs'),
        'synth',
        '--config',
        path.join(outdir, 'none.ts'),
      ],
      { cwd: outdir, encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`no project config at ${path.join(outdir, 'none.ts')}`);
  });
});
