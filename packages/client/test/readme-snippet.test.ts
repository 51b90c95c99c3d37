/**
 * The README's snippet for an adopter's own Amplify app, compiled as that app's `tsc -b` would
 * (strict, JSON imports, against aws-amplify v6), once with the outputs `gatehouse dev` writes and
 * once with a deployed backend's: a snippet that does not compile breaks the adopter's build.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
// Inside the repository, so the app resolves aws-amplify and @gatehouse/client as an install would.
const app = mkdtempSync(path.join(fileURLToPath(new URL('.', import.meta.url)), '.readme-app-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

const LOCAL_OUTPUTS = {
  version: '1.3',
  auth: {
    aws_region: 'us-east-1',
    user_pool_id: 'us-east-1_GateHouse',
    user_pool_client_id: 'gatehouselocalclient0000',
    username_attributes: ['email'],
    standard_required_attributes: ['email'],
  },
  custom: { gatehouseApiUrl: 'http://127.0.0.1:3000/prod', gatehouseUserPoolEndpoint: 'http://127.0.0.1:9229' },
};
const DEPLOYED_OUTPUTS = {
  version: '1.3',
  auth: {
    aws_region: 'eu-west-1',
    user_pool_id: 'eu-west-1_AbCdEf123',
    user_pool_client_id: '1example23456789',
    username_attributes: ['email'],
    standard_required_attributes: ['email'],
    password_policy: { min_length: 8, require_numbers: true },
    mfa_methods: [],
  },
  data: { url: 'https://x.appsync-api.eu-west-1.amazonaws.com/graphql', aws_region: 'eu-west-1' },
  custom: { gatehouseApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod' },
};

function readmeSnippet(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const match = /<!-- readme-snippet: amplify-app[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error('README.md has no amplify-app snippet');
  return match[1];
}

function compile(outputs: unknown): string {
  mkdirSync(path.join(app, 'src'), { recursive: true });
  writeFileSync(path.join(app, 'amplify_outputs.json'), JSON.stringify(outputs, null, 2));
  writeFileSync(path.join(app, 'src', 'main.ts'), readmeSnippet());
  writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      // What `npm create vite` (react-ts) sets for the app's own code.
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        module: 'ESNext',
        moduleResolution: 'bundler',
        resolveJsonModule: true,
        verbatimModuleSyntax: true,
        moduleDetection: 'force',
        noEmit: true,
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        skipLibCheck: true,
        customConditions: ['@gatehouse/source'],
        types: [],
      },
      include: ['src'],
    }),
  );
  try {
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], {
      encoding: 'utf8',
    });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe("the README's Amplify snippet", () => {
  it('compiles in an app against the outputs gatehouse dev writes', () => {
    expect(compile(LOCAL_OUTPUTS)).toBe('');
  }, 60_000);

  it('compiles in an app against a deployed backend’s outputs', () => {
    expect(compile(DEPLOYED_OUTPUTS)).toBe('');
  }, 60_000);
});
