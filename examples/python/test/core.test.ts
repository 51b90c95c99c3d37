/**
 * The Python core's own unit tests, run the way its team runs them — `python3 -m unittest` in the
 * code folder — so `npm test` fails when they do.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const coreDir = fileURLToPath(new URL('../core/', import.meta.url));

describe('the Python core (python3 -m unittest)', () => {
  it('passes its unit tests', () => {
    // Act
    const run = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], {
      cwd: coreDir,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' },
    });

    // Assess
    expect(run.error).toBeUndefined();
    expect(run.stderr).toMatch(/^Ran \d+ tests/m);
    expect(run.stderr).toMatch(/^OK$/m);
    expect(run.status).toBe(0);
  });
});
