/**
 * `npm run web-config` as a user meets it before and after a deploy: a missing or broken outputs
 * file is one sentence saying what to do (no stack trace), and a real one becomes the web config.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_OUTPUTS } from '../src/gatehouse-stack';

const SCRIPT = fileURLToPath(new URL('../scripts/write-web-config.ts', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-web-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@gatehouse/source', '--import', 'tsx', SCRIPT, ...args],
      { timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('write-web-config', () => {
  it('says to deploy first when the outputs file does not exist, without a stack trace', async () => {
    const missing = path.join(scratch, 'cdk.out', 'outputs.json');
    const result = await run(missing);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `No deploy outputs at ${missing}: deploy first (npm run deploy writes that file), then run npm run web-config again.`,
    );
  });

  it('names a broken outputs file and an outputs file without the stack, in one line each', async () => {
    const broken = path.join(scratch, 'broken.json');
    const other = path.join(scratch, 'other.json');
    writeFileSync(broken, '{');
    writeFileSync(other, JSON.stringify({ SomeOtherStack: { Url: 'x' } }));

    const [notJson, noStack] = await Promise.all([run(broken), run(other)]);

    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(
      /^The deploy outputs at .*broken\.json are not JSON \(.*\): run npm run deploy again/,
    );
    expect(noStack.stderr.trim()).toBe(
      `Cannot write the web config from ${other}: no gatehouse stack in the outputs file (did the deploy finish?).`,
    );
    for (const stderr of [notJson.stderr, noStack.stderr]) {
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('writes the web config from a deploy’s outputs', async () => {
    const outputs = path.join(scratch, 'outputs.json');
    const out = path.join(scratch, 'gatehouse-config.json');
    writeFileSync(
      outputs,
      JSON.stringify({
        Gatehouse: {
          [STACK_OUTPUTS.apiUrl]: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
          [STACK_OUTPUTS.region]: 'eu-west-1',
          [STACK_OUTPUTS.userPoolId]: 'eu-west-1_AbC123',
          [STACK_OUTPUTS.userPoolClientId]: 'client123',
        },
      }),
    );

    const result = await run(outputs, '--out', out);

    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ region: 'eu-west-1', userPoolClientId: 'client123' });
  });
});
