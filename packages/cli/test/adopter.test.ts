/**
 * gatehouse installed as a stranger installs it: every publishable package packed with `npm pack`,
 * the tarballs installed by a real `npm install` into a new project outside the repository, and
 * then, in that project only, the README's quick start: `gatehouse init`, `gatehouse dev`, a 200
 * from the starter Python core with `gatehouse token`, a job route the adopter adds and its result
 * (docs/JOBS.md), a synth of a plain CDK app using the
 * construct, and a synth of the Amplify Gen 2 shape `init` wires into `amplify/backend.ts`.
 *
 * Needs `npm run build` first (npm test runs it): the tarballs carry the built lib/.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/adopter/', import.meta.url));

/** What an adopter installs, and what those depend on (unpublished, so packed here too). */
const PACKAGES = [
  'gatehouse',
  '@gatehouse/cdk',
  '@gatehouse/contract',
  '@gatehouse/edge',
  '@gatehouse/authorizer',
  '@gatehouse/bundler',
  '@gatehouse/local',
  '@gatehouse/example-figures',
];
/** The third-party packages of the quick start, at the versions this repository's lockfile has. */
const THIRD_PARTY = ['aws-cdk-lib@2.276.0', 'constructs@^10.8.1', 'aws-cdk@2.1148.1', 'tsx@^4.23.15', 'zod@^4.6.7'];
// Offline: no version check, no telemetry, and no EC2 metadata lookup when the CLI looks for credentials.
const OFFLINE_CDK = {
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-adopter-'));
const project = path.join(scratch, 'my-app');
const timings: Record<string, number> = {};
let dev: ChildProcess | undefined;

async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

/** A command in the project, as a person would type it (npx finds the project's own bins). */
function inProject(command: string, args: string[], cwd = project, env: Record<string, string> = {}) {
  return run(command, args, { cwd, env: { ...process.env, ...env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 });
}

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'packages', 'cli', 'lib', 'index.js'))) {
    throw new Error('the packages are not built: run npm run build first (npm test does)');
  }
  const packed = path.join(scratch, 'packed');
  mkdirSync(packed);
  mkdirSync(project);
  const tarballs = await timed('npm pack', async () => {
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--pack-destination', packed, ...PACKAGES.flatMap((name) => ['-w', name])],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
    );
    return (JSON.parse(stdout) as Array<{ filename: string }>).map(({ filename }) => path.join(packed, filename));
  });
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'my-app', private: true, type: 'module' }, null, 2)}\n`,
  );
  await timed('npm install', () =>
    inProject('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs, ...THIRD_PARTY]),
  );
}, 300_000);

afterAll(async () => {
  if (dev?.pid !== undefined && dev.exitCode === null) {
    process.kill(dev.pid, 'SIGTERM');
    await new Promise((resolve) => dev?.once('exit', resolve));
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(`adopter test steps (ms): ${JSON.stringify(timings)}`);
});

describe('gatehouse installed from packed tarballs into a new project', () => {
  it('installs every gatehouse package from its tarball, built, without its tests, and no web app', () => {
    for (const name of PACKAGES) {
      const dir = path.join(project, 'node_modules', name);
      expect(existsSync(path.join(dir, 'LICENSE')), name).toBe(true);
      expect(existsSync(path.join(dir, 'lib')), name).toBe(true);
      expect(existsSync(path.join(dir, 'test')), name).toBe(false);
    }
    expect(existsSync(path.join(project, 'node_modules', '@gatehouse', 'web'))).toBe(false);
  });

  it('gatehouse init --runtime python3.12 --yes writes the config and the starter Python core', async () => {
    const { stdout } = await timed('gatehouse init', () =>
      inProject('npx', [
        'gatehouse',
        'init',
        '--runtime',
        'python3.12',
        '--origins',
        'https://app.example.com',
        '--yes',
      ]),
    );
    expect(stdout).toContain('created   gatehouse.config.ts');
    expect(readFileSync(path.join(project, 'core', 'handler.py'), 'utf8')).toContain('def handler(event, context):');
  });

  it('gatehouse dev --no-web serves the starter core: 200 through the gateway with gatehouse token, and as a job', async () => {
    // Prepare: the adopter adds a job route for the same core (docs/JOBS.md); free ports, no web app.
    const configFile = path.join(project, 'gatehouse.config.ts');
    const withJob = readFileSync(configFile, 'utf8').replace(
      '  routes: {\n',
      "  routes: {\n    'POST /hello/later': { core: 'hello', schema: z.object({ name: z.string() }), job: { timeoutSeconds: 10 } },\n",
    );
    expect(withJob).toContain('/hello/later');
    writeFileSync(configFile, withJob);
    const started = performance.now();
    dev = spawn(
      'npx',
      ['gatehouse', 'dev', '--no-web', '--port', '0', '--identity-port', '0', '--lambda-port', '0', '--web-port', '0'],
      { cwd: project, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    dev.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    dev.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 90_000;
    while (!output.includes('ready in') && dev.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    timings['gatehouse dev ready'] = Math.round(performance.now() - started);
    expect(output, output).toContain('ready in');
    const { apiUrl } = JSON.parse(readFileSync(path.join(project, '.gatehouse', 'local.json'), 'utf8')) as {
      apiUrl: string;
    };

    // Act
    const token = (await inProject('npx', ['gatehouse', 'token'])).stdout.trim();
    const response = await fetch(`${apiUrl}/hello`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'adopter' }),
    });

    // Assess (on failure, the answer and the stack's log say why)
    const text = await response.text();
    expect(response.status, `${text}\n${output}`).toBe(200);
    expect(JSON.parse(text)).toEqual({ message: 'Hello, adopter!', caller: 'demo@gatehouse.local' });

    // The job route: 202, then the owner polls its Location to the core's answer.
    const submitted = await fetch(`${apiUrl}/hello/later`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'adopter' }),
    });
    expect(submitted.status, `${await submitted.clone().text()}\n${output}`).toBe(202);
    const location = new URL(submitted.headers.get('location') ?? '', apiUrl);
    let job: { status?: string; result?: unknown } = {};
    for (let attempt = 0; attempt < 150 && job.status !== 'succeeded' && job.status !== 'failed'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await (await fetch(location, { headers: { authorization: `Bearer ${token}` } })).json()) as typeof job;
    }
    expect(job, output).toMatchObject({
      status: 'succeeded',
      result: { message: 'Hello, adopter!', caller: 'demo@gatehouse.local' },
    });
  }, 120_000);

  it('synthesises a plain CDK app with the stack file init writes when it finds cdk.json', async () => {
    // Prepare: the adopter's CDK app, which adds the stack init wrote.
    writeFileSync(path.join(project, 'cdk.json'), '{ "app": "npx tsx bin/app.ts" }\n');
    mkdirSync(path.join(project, 'bin'));
    copyFileSync(path.join(fixtures, 'cdk-app.ts'), path.join(project, 'bin', 'app.ts'));
    const { stdout } = await inProject('npx', [
      'gatehouse',
      'init',
      '--runtime',
      'python3.12',
      '--origins',
      'https://app.example.com',
      '--yes',
    ]);
    expect(stdout).toMatch(/unchanged gatehouse\.config\.ts[\s\S]*created +gatehouse-stack\.ts/);

    // Act
    await timed('cdk synth (CDK app)', () =>
      inProject('npx', ['cdk', 'synth', '-q', '--no-notices'], project, OFFLINE_CDK),
    );

    // Assess
    const template = JSON.parse(readFileSync(path.join(project, 'cdk.out', 'Gatehouse.template.json'), 'utf8'));
    const runtimes = Object.values(
      template.Resources as Record<string, { Type: string; Properties: { Runtime?: string } }>,
    )
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => resource.Properties.Runtime)
      .sort();
    // The edge, the job runner, and the starter core.
    expect(runtimes).toEqual(['nodejs22.x', 'nodejs22.x', 'python3.12']);
  }, 180_000);

  it('synthesises the app gatehouse deploy runs for a project without a CDK app of its own', async () => {
    // Act: what `gatehouse deploy` hands the CDK CLI, synthesised instead of deployed (no account here).
    const app = `node ${path.join('node_modules', 'gatehouse', 'lib', 'cdk-app.js')}`;
    await timed('cdk synth (gatehouse deploy app)', () =>
      inProject('npx', ['cdk', 'synth', '-q', '--no-notices', '--app', app, '-o', 'cdk.out.deploy'], project, {
        ...OFFLINE_CDK,
        GATEHOUSE_CONFIG_FILE: path.join(project, 'gatehouse.config.ts'),
      }),
    );

    // Assess
    const template = JSON.parse(readFileSync(path.join(project, 'cdk.out.deploy', 'Gatehouse.template.json'), 'utf8'));
    expect(Object.keys(template.Outputs)).toContain('ApiUrl');
  }, 180_000);

  it("synthesises the Amplify Gen 2 shape: the API in backend.createStack with the app's pool, its URL in the outputs", async () => {
    // Prepare: an Amplify Gen 2 app beside the first, on the same install.
    const app = path.join(project, 'amplify-app');
    mkdirSync(path.join(app, 'amplify'), { recursive: true });
    copyFileSync(path.join(fixtures, 'define-backend.ts'), path.join(app, 'amplify', 'define-backend.ts'));
    copyFileSync(path.join(fixtures, 'backend.ts'), path.join(app, 'amplify', 'backend.ts'));
    writeFileSync(path.join(app, 'cdk.json'), '{ "app": "npx tsx amplify/backend.ts" }\n');
    const { stdout } = await inProject(
      'npx',
      ['gatehouse', 'init', '--runtime', 'python3.12', '--origins', 'https://app.example.com', '--yes'],
      app,
    );
    expect(stdout).toMatch(/updated +amplify\/backend\.ts/);

    // Act
    await timed('cdk synth (Amplify shape)', () =>
      inProject('npx', ['cdk', 'synth', '-q', '--no-notices'], app, OFFLINE_CDK),
    );

    // Assess
    const root = JSON.parse(readFileSync(path.join(app, 'cdk.out', 'amplify-adopter-sandbox.template.json'), 'utf8'));
    expect(Object.keys(root.Outputs)).toContain('gatehouseApiUrl');
    const nested = Object.values(root.Resources as Record<string, { Type: string }>).filter(
      (resource) => resource.Type === 'AWS::CloudFormation::Stack',
    );
    expect(nested).toHaveLength(2);
  }, 180_000);
});
