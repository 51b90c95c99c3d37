/** Where the local stack keeps `local.json` and the identity store: `<repo>/.gatehouse` unless told. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export function defaultStateDir(): string {
  return path.join(REPO_ROOT, '.gatehouse');
}
