/**
 * The app as `npm run synth` runs it — bin/app.ts with real bundling of the edge and the core through
 * scripts/bundle-lambda.ts, cdk-nag and the strict template validator — in a child process, the way
 * the CDK CLI starts it (CDK_OUTDIR, CDK_CONTEXT_JSON).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const outdir = mkdtempSync(path.join(tmpdir(), 'gatehouse-synth-'));

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the gatehouse CDK app', () => {
  it('synthesises offline with both functions bundled, and nag and the validator satisfied', () => {
    // Act
    const run = spawnSync('npx', ['tsx', '--conditions=@gatehouse/source', 'bin/app.ts'], {
      cwd: infraDir,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({
          allowedOrigins: 'https://app.example.com',
          '@aws-cdk/core:validateAgainstDefaultRules': true,
        }),
      },
    });
    // Assess
    expect(run.status, run.stderr).toBe(0);
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
});
