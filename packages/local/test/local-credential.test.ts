/**
 * The local credential: generated per state directory at first start, kept private (0600), read
 * back unchanged, and never a value written in gatehouse's source — a published key would let any
 * program sign for the stack, and through a `remote` core, call AWS as the developer.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIAL_FILE, loadLocalCredential } from '../src/iam';

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-credential-test-'));
const packages = fileURLToPath(new URL('../../', import.meta.url));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every source file of every package (`src/`, no tests, no build output). */
function sourceFiles(dir = packages): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', 'lib', 'dist', 'test'].includes(entry.name) ? [] : sourceFiles(file);
    return /\.(ts|tsx|mjs|js|py)$/.test(entry.name) && file.includes(`${path.sep}src${path.sep}`) ? [file] : [];
  });
}

describe('the local credential', () => {
  it('is generated at first start, private to the user, and the same at the next', () => {
    // Arrange
    const stateDir = path.join(scratch, 'first');

    // Act
    const first = loadLocalCredential(stateDir);
    const again = loadLocalCredential(stateDir);

    // Assess
    expect(again).toEqual(first);
    expect(first.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(first.secretAccessKey.length).toBeGreaterThanOrEqual(40);
    expect(statSync(path.join(stateDir, LOCAL_CREDENTIAL_FILE)).mode & 0o777).toBe(0o600);
  });

  it('differs from one state directory to another', () => {
    // Act
    const one = loadLocalCredential(path.join(scratch, 'one'));
    const other = loadLocalCredential(path.join(scratch, 'other'));

    // Assess
    expect(other.accessKeyId).not.toBe(one.accessKeyId);
    expect(other.secretAccessKey).not.toBe(one.secretAccessKey);
  });

  it('tightens a file loosened since to 0600', () => {
    // Arrange
    const stateDir = path.join(scratch, 'loosened');
    loadLocalCredential(stateDir);
    chmodSync(path.join(stateDir, LOCAL_CREDENTIAL_FILE), 0o644);

    // Act
    loadLocalCredential(stateDir);

    // Assess
    expect(statSync(path.join(stateDir, LOCAL_CREDENTIAL_FILE)).mode & 0o777).toBe(0o600);
  });

  it('is never a key written in the source of any package', () => {
    // Act
    const files = sourceFiles();
    const keys = files.filter((file) => /AKIA[A-Z0-9]{16}/.test(readFileSync(file, 'utf8')));

    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(keys).toEqual([]);
  });
});
