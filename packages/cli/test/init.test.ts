/**
 * `gatehouse init` in each kind of project it knows — none, a CDK app, an Amplify Gen 2 backend —
 * with what it writes, its refusal to overwrite, and a second run that changes nothing.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/cli-io';
import { main } from '../src/cli/main';
import { initCommand } from '../src/init/init-command';

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-init-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const AMPLIFY_BACKEND = `import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';

const backend = defineBackend({
  auth,
  data,
});
`;

function project(name: string, files: Record<string, string> = {}): string {
  const dir = path.join(scratch, name);
  for (const [file, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), contents);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function init(dir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {} };
  const code = await main(['init', '--dir', dir, ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('gatehouse init in a folder with no backend', () => {
  it('writes the config and a Python core, and prints the next two commands', async () => {
    // Prepare
    const dir = project('plain_app.v2');

    // Act
    const result = await init(dir, '--runtime', 'python3.12', '--origins', 'https://app.example.com', '--yes');

    // Assess
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('no backend yet, core in python3.12');
    expect(result.out).toMatch(/created +gatehouse\.config\.ts/);
    expect(result.out).toMatch(/Next:\n {2}npx gatehouse dev .*\n {2}curl .*\n {2}npx gatehouse deploy/);
    expect(result.out).toContain(
      `curl -X POST http://127.0.0.1:3000/prod/hello -H "authorization: Bearer $(npx gatehouse token)" -H 'content-type: application/json'`,
    );
    const config = read(dir, 'gatehouse.config.ts');
    expect(config).toContain("import { defineConfig } from 'gatehouse';");
    expect(config).toContain("name: 'plain-app-v2'");
    expect(config).toContain("runtime: 'python3.12'");
    expect(config).toContain("handler: 'handler.handler'");
    expect(config).toContain("origins: ['https://app.example.com', 'http://localhost:5173']");
    expect(read(dir, 'core/handler.py')).toMatch(/^def handler\(event, context\):$/m);
  });

  it("with no origins given, still writes a list dev and a deploy accept: Vite's local origin", async () => {
    // Prepare
    const dir = project('no-origins');

    // Act
    const result = await init(dir, '--yes');

    // Assess
    expect(result.code).toBe(0);
    expect(read(dir, 'gatehouse.config.ts')).toContain("origins: ['http://localhost:5173']");
  });

  it('keeps .gatehouse/ out of git: creates .gitignore, or adds one line to the existing one, once', async () => {
    // Prepare
    const fresh = project('ignore-fresh');
    const existing = project('ignore-existing', { '.gitignore': 'node_modules\ndist' });

    // Act
    await init(fresh, '--yes');
    await init(existing, '--yes');
    const again = await init(existing, '--yes');

    // Assess
    expect(read(fresh, '.gitignore')).toMatch(/^\.gatehouse\/$/m);
    expect(read(existing, '.gitignore')).toBe(
      "node_modules\ndist\n# gatehouse dev's state: local credentials and signing keys\n.gatehouse/\n",
    );
    expect(again.out).toMatch(/unchanged +\.gitignore/);
  });

  it('writes a Node core, or an executable bootstrap for provided.al2023, and an existing function for AWS', async () => {
    const node = project('node-app');
    const provided = project('provided-app');
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:reports';

    expect((await init(node, '--runtime', 'nodejs22.x', '--core-arn', arn, '--yes')).code).toBe(0);
    expect((await init(provided, '--runtime', 'provided.al2023', '--yes')).code).toBe(0);

    expect(read(node, 'core/handler.mjs')).toContain('export const handler = async (event)');
    expect(read(node, 'gatehouse.config.ts')).toContain(`existing: '${arn}'`);
    expect(read(provided, 'core/bootstrap')).toMatch(/^#!\/bin\/bash\n/);
    expect(statSync(path.join(provided, 'core/bootstrap')).mode & 0o111).not.toBe(0);
    expect(read(provided, 'gatehouse.config.ts')).toContain("handler: 'hello'");
  });

  it('refuses bad flags with the usage: runtime, origin "*", an ARN that is not one, no terminal and no --yes', async () => {
    const dir = project('refusals');
    const results = [
      await init(dir, '--runtime', 'java21', '--yes'),
      await init(dir, '--origins', '*', '--yes'),
      await init(dir, '--core-arn', 'reports', '--yes'),
    ];
    const noTerminal = initCommand(['--dir', dir], { out: () => {}, err: () => {}, env: {} });

    expect(results.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(results[0]?.err).toContain('--runtime must be one of nodejs22.x, python3.12, python3.13, provided.al2023');
    expect(results[1]?.err).toContain('"*" is not accepted');
    expect(results[2]?.err).toContain('--core-arn must be a Lambda function ARN');
    await expect(noTerminal).rejects.toThrow('pass --yes');
  });
});

describe('gatehouse init in a CDK app', () => {
  it('writes a stack file beside the app in lib/ that builds the API from the config', async () => {
    const dir = project('cdk-app', { 'cdk.json': '{"app":"npx tsx bin/app.ts"}', 'lib/app-stack.ts': '' });

    const result = await init(dir, '--yes');

    expect(result.code).toBe(0);
    expect(result.out).toContain('a CDK app (cdk.json)');
    expect(result.out).toMatch(/npx cdk deploy Gatehouse .*addGatehouseStack/);
    const stack = read(dir, 'lib/gatehouse-stack.ts');
    expect(stack).toContain("import { GatehouseApi, loadProjectConfig } from '@gatehouse/cdk';");
    expect(stack).toContain('export async function addGatehouseStack(app: App');
  });
});

describe('gatehouse init in an Amplify Gen 2 backend', () => {
  it("adds the API in its own stack with the app's user pool and client, and the URL to the outputs", async () => {
    // Prepare
    const dir = project('amplify-app', { 'amplify/backend.ts': AMPLIFY_BACKEND });

    // Act
    const result = await init(dir, '--runtime', 'python3.13', '--yes');

    // Assess
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/updated +amplify\/backend\.ts/);
    expect(result.out).toContain('npx ampx sandbox');
    const backend = read(dir, 'amplify/backend.ts');
    const lines = backend.split('\n');
    // The import joins the others; the block comes after defineBackend.
    expect(lines.slice(0, 4)).toEqual([
      "import { defineBackend } from '@aws-amplify/backend';",
      "import { auth } from './auth/resource';",
      "import { data } from './data/resource';",
      "import { GatehouseApi, loadProjectConfig } from '@gatehouse/cdk';",
    ]);
    expect(backend.indexOf("backend.createStack('gatehouse')")).toBeGreaterThan(backend.indexOf('defineBackend({'));
    expect(backend).toContain('userPool: backend.auth.resources.userPool,');
    expect(backend).toContain('userPoolClients: [backend.auth.resources.userPoolClient],');
    expect(backend).toContain('backend.addOutput({ custom: { gatehouseApiUrl: gatehouse.apiUrl } });');
  });

  it("names the backend in Amplify's own template, which calls defineBackend without keeping it", async () => {
    const dir = project('amplify-template', {
      'amplify/backend.ts': "import { defineBackend } from '@aws-amplify/backend';\n\ndefineBackend({ auth });\n",
    });
    expect((await init(dir, '--yes')).code).toBe(0);
    const backend = read(dir, 'amplify/backend.ts');
    expect(backend).toContain('const backend = defineBackend({ auth });');
    expect(backend).toContain('backend.addOutput(');
  });

  it('says what to add by hand when backend.ts has no defineBackend, and writes nothing', async () => {
    const dir = project('amplify-odd', { 'amplify/backend.ts': 'export {};\n' });
    const result = await init(dir, '--yes');
    expect(result.code).toBe(1);
    expect(result.err).toContain('has no `const backend = defineBackend({ … })`');
    expect(() => read(dir, 'gatehouse.config.ts')).toThrow();
  });
});

describe('running init again', () => {
  it('changes nothing when nothing changed, in every kind of project', async () => {
    for (const [name, files] of [
      ['again-none', {}],
      ['again-cdk', { 'cdk.json': '{}' }],
      ['again-amplify', { 'amplify/backend.ts': AMPLIFY_BACKEND }],
    ] as const) {
      const dir = project(name, files);
      expect((await init(dir, '--yes')).code).toBe(0);
      const before = ['gatehouse.config.ts', 'core/handler.py'].map((file) => read(dir, file));
      const backend = name === 'again-amplify' ? read(dir, 'amplify/backend.ts') : '';

      const second = await init(dir, '--yes');

      expect(second.code).toBe(0);
      expect(second.out).not.toMatch(/created|updated|conflict/);
      expect(['gatehouse.config.ts', 'core/handler.py'].map((file) => read(dir, file))).toEqual(before);
      if (name === 'again-amplify') expect(read(dir, 'amplify/backend.ts')).toBe(backend);
    }
  });

  it('refuses to overwrite a file with other contents, writes nothing, and overwrites with --force', async () => {
    // Prepare
    const dir = project('overwrite', { 'gatehouse.config.ts': '// mine\n' });

    // Act
    const refused = await init(dir, '--runtime', 'nodejs22.x', '--yes');
    const forced = await init(dir, '--runtime', 'nodejs22.x', '--yes', '--force');

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/conflict +gatehouse\.config\.ts/);
    expect(refused.err).toContain('nothing written');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/updated +gatehouse\.config\.ts/);
    expect(read(dir, 'gatehouse.config.ts')).toContain("runtime: 'nodejs22.x'");
  });
});

describe('gatehouse init and symbolic links out of the project', () => {
  const ARGS = ['--runtime', 'python3.12', '--origins', 'https://app.example.com', '--yes'] as const;

  it.each([
    ['gatehouse.config.ts is a link to a file outside', 'gatehouse.config.ts', 'file'],
    ['core/ is a link to a folder outside', 'core', 'folder'],
    ['gatehouse.config.ts is a dangling link', 'gatehouse.config.ts', 'dangling'],
  ])('writes nothing when %s, --force included', async (_name, link, kind) => {
    // Arrange
    const dir = project(`linked-${kind}`);
    const outside = path.join(scratch, `outside-${kind}`);
    if (kind === 'folder') mkdirSync(outside, { recursive: true });
    if (kind === 'file') writeFileSync(outside, 'export PATH=/usr/bin\n');
    symlinkSync(outside, path.join(dir, link));

    // Act
    const plain = await init(dir, ...ARGS);
    const forced = await init(dir, ...ARGS, '--force');

    // Assess
    for (const result of [plain, forced]) {
      expect(result.code).toBe(1);
      expect(result.out).toMatch(new RegExp(`outside +${link.replace('.', '\\.')}`));
      expect(result.err).toMatch(/symbolic links .* lead out of the project folder/);
    }
    if (kind === 'file') expect(readFileSync(outside, 'utf8')).toBe('export PATH=/usr/bin\n');
    if (kind === 'folder') expect(readdirSync(outside)).toEqual([]);
    if (kind === 'dangling') expect(existsSync(outside)).toBe(false);
  });

  it('writes through a link that stays inside the project', async () => {
    // Arrange
    const dir = project('linked-inside');
    mkdirSync(path.join(dir, 'backend', 'core'), { recursive: true });
    symlinkSync(path.join(dir, 'backend', 'core'), path.join(dir, 'core'));

    // Act
    const result = await init(dir, ...ARGS);

    // Assess
    expect(result.code).toBe(0);
    expect(readdirSync(path.join(dir, 'backend', 'core'))).toContain('handler.py');
  });
});
