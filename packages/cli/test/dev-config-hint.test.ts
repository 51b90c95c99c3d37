import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigFileError } from '@gatehouse/bundler';
import { afterAll, describe, expect, it } from 'vitest';
import { withScriptHint } from '../src/cli/dev-command';

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-hint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gatehouse dev with no config in the folder', () => {
  it('names the package.json script that runs the stack with a config', () => {
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ scripts: { 'dev:api': 'gatehouse dev --config api/gatehouse.config.ts' } }),
    );
    const hinted = withScriptHint(new ConfigFileError('No gatehouse config at x.'), dir);
    expect((hinted as Error).message).toBe(
      "No gatehouse config at x. This folder's npm run dev:api runs gatehouse dev with its config.",
    );
  });

  it('leaves the message alone without such a script', () => {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'vite' } }));
    const error = new ConfigFileError('No gatehouse config at x.');
    expect(withScriptHint(error, dir)).toBe(error);
  });
});
