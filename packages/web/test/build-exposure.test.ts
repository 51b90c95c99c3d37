/**
 * What a production `vite build` of the web app puts in the browser's hands: the routes' paths,
 * descriptions and input schemas, nothing else of the project config. Every other field — names,
 * cores and their environment, ARNs, origins, groups, examples, limits, the panel's path — holds a
 * canary, and no built asset (source maps included) may contain one.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webViteSettings } from '../vite-settings';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** Inside the package, so the config's `zod` import resolves as a project's would. */
const scratch = path.join(packageDir, `.build-exposure-${process.pid}`);
const outDir = path.join(scratch, 'dist');
const CANARY = 'canary7f3a';

const CONFIG = `import { z } from 'zod';
export default {
  name: 'name-${CANARY}',
  stage: 'stage${CANARY}',
  origins: ['https://origin-${CANARY}.example'],
  tokenUse: 'id',
  requiredGroups: ['required-group-${CANARY}'],
  auth: { mode: 'lambda', lambda: { keysParameter: '/keys-${CANARY}' } },
  limits: { maxBodyBytes: 7_313_131 },
  deadlines: { coreTimeoutMs: 7_919 },
  routes: {
    'POST /orders/{id}': {
      core: 'core-key-${CANARY}',
      payload: 'enriched',
      groups: ['route-group-${CANARY}'],
      example: { quantity: 'example-${CANARY}' },
      description: 'Places an order (route description).',
      schema: z.object({ quantity: z.number().describe('How many (schema description).') }),
    },
  },
  cores: {
    ['core-key-${CANARY}']: {
      runtime: 'python3.12',
      code: './code-${CANARY}',
      handler: 'handler-${CANARY}.handler',
      timeoutSeconds: 9,
      memoryMb: 1_717,
      environment: { SECRET_SETTING: 'environment-${CANARY}' },
      existing: 'arn:aws:lambda:us-east-1:123456789012:function:existing-${CANARY}',
      remote: { function: 'arn:aws:lambda:eu-west-1:123456789012:function:remote-${CANARY}', profile: 'profile-${CANARY}' },
    },
  },
};
`;

let assets: Array<{ name: string; text: string }>;

beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  const configFile = path.join(scratch, 'gatehouse.config.mjs');
  writeFileSync(configFile, CONFIG);
  const settings = webViteSettings({ configFile });
  await build({
    ...settings,
    build: { ...settings.build, outDir, emptyOutDir: true, sourcemap: true },
    logLevel: 'silent',
  });
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
  assets = files(outDir).map((file) => ({ name: path.relative(outDir, file), text: readFileSync(file, 'utf8') }));
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the production web build', () => {
  it('holds the routes’ paths, descriptions and input schemas', () => {
    // Act
    const all = assets.map((asset) => asset.text).join('\n');

    // Assess
    expect(assets.some((asset) => asset.name.endsWith('.map'))).toBe(true);
    expect(all).toContain('POST /orders/{id}');
    expect(all).toContain('Places an order (route description).');
    expect(all).toContain('How many (schema description).');
  });

  it('holds nothing else of the config, in any asset or source map', () => {
    // Act
    const leaking = assets.filter((asset) => asset.text.includes(CANARY)).map((asset) => asset.name);
    const numbers = assets.filter((asset) => /7_?313_?131|7_?919|1_?717/.test(asset.text)).map((asset) => asset.name);

    // Assess
    expect(leaking).toEqual([]);
    expect(numbers).toEqual([]);
  });
});
