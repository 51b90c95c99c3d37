/**
 * What kind of project `gatehouse init` runs in, read from the files each kind is known by: an
 * Amplify Gen 2 backend has `amplify/backend.ts`, a CDK app has `cdk.json`. Amplify wins when both
 * exist, because an Amplify backend is deployed by `ampx`, not by the CDK app beside it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export type ProjectKind = 'amplify-gen2' | 'cdk' | 'none';

export const AMPLIFY_BACKEND_FILE = path.join('amplify', 'backend.ts');

export function detectProjectKind(dir: string): ProjectKind {
  if (existsSync(path.join(dir, AMPLIFY_BACKEND_FILE))) return 'amplify-gen2';
  if (existsSync(path.join(dir, 'cdk.json'))) return 'cdk';
  return 'none';
}

export function describeProjectKind(kind: ProjectKind): string {
  switch (kind) {
    case 'amplify-gen2':
      return 'an Amplify Gen 2 backend (amplify/backend.ts)';
    case 'cdk':
      return 'a CDK app (cdk.json)';
    case 'none':
      return 'no backend yet';
  }
}
