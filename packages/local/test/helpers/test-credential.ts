/**
 * The local credential the tests of one process sign with and start services with: generated in a
 * scratch state directory and read through `loadLocalCredential`, exactly as the stack reads its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadLocalCredential } from '../../src/iam';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-credential-'));
process.once('exit', () => rmSync(stateDir, { recursive: true, force: true }));

export const testCredential = loadLocalCredential(stateDir);
