/**
 * gatehouse installed as a stranger installs it: every publishable package packed with `npm pack`,
 * the tarballs installed by a real `npm install` into a new project outside the repository, and
 * then, in that project only, the README's quick start: `gatehouse init`, `gatehouse dev`, a 200
 * from the starter Python core with `gatehouse token`, a job route added to the running project and
 * its result (docs/JOBS.md), `gatehouse invoke` of a Python core whose requirement pip installs from
 * a local wheelhouse, a synth of a plain CDK app using the
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
import { buildWheelhouse } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/adopter/', import.meta.url));

/** The two gatehouse names the README installs, and what they depend on (unpublished, so packed here too). */
const INSTALLED = ['gatehouse', '@gatehouse/cdk'];
const DEPENDENCIES = [
  '@gatehouse/contract',
  '@gatehouse/edge',
  '@gatehouse/authorizer',
  '@gatehouse/bundler',
  '@gatehouse/local',
];
const PACKAGES = [...INSTALLED, ...DEPENDENCIES];
/** The README's third-party names, at the versions this repository's lockfile has (reproducible, offline-friendly). */
const PINNED: Record<string, string> = {
  'aws-cdk-lib': 'aws-cdk-lib@2.276.0',
  constructs: 'constructs@^10.8.1',
  'aws-cdk@2.1148.1': 'aws-cdk@2.1148.1',
  tsx: 'tsx@^4.23.15',
  zod: 'zod@^4.6.7',
};
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
/** Everything `gatehouse dev` printed, for the steps after it started and for failure messages. */
let devLog = '';
/** What `gatehouse init` printed: its next steps are run as printed. */
let initOutput = '';

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
  const tarballOf = (name: string) => {
    const file = tarballs.find((t) => path.basename(t).startsWith(`${name.replace('@', '').replace('/', '-')}-0`));
    if (!file) throw new Error(`no tarball for ${name}`);
    return file;
  };
  // The registry stands in for the dependencies' tarballs; the install line itself is the README's.
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'my-app',
        private: true,
        type: 'module',
        overrides: Object.fromEntries(DEPENDENCIES.map((name) => [name, `file:${tarballOf(name)}`])),
      },
      null,
      2,
    )}\n`,
  );
  const [, ...args] = readmeCommand('npm install -D ').split(/\s+/);
  const install = args.map((name) =>
    name.startsWith('-') ? name : INSTALLED.includes(name) ? tarballOf(name) : (PINNED[name] ?? name),
  );
  await timed('npm install', () => inProject('npm', [...install, '--prefer-offline', '--no-audit', '--no-fund']));
}, 300_000);

/** A command of the README's "Install into your project" block, as written there. */
function readmeCommand(prefix: string): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Install into your project'));
  const line = section.split('\n').find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`README.md's install section has no line starting ${JSON.stringify(prefix)}`);
  return line.replace(/\s+#.*$/, '').trim();
}

/** Init's next steps, as printed: each line under "Next:", its comment dropped. */
function nextSteps(output: string): string[] {
  const block = output.slice(output.indexOf('Next:\n') + 'Next:\n'.length);
  return block
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => line.replace(/\s+# .*$/, '').trim());
}

afterAll(async () => {
  if (dev?.pid !== undefined && dev.exitCode === null) {
    // The printed command runs in a shell: stop its whole process group.
    process.kill(-dev.pid, 'SIGTERM');
    await new Promise((resolve) => dev?.once('exit', resolve));
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(`adopter test steps (ms): ${JSON.stringify(timings)}`);
});

describe('gatehouse installed from packed tarballs into a new project', () => {
  it("installs the README's names, every gatehouse package built, without its tests, no example and no web app", () => {
    for (const name of PACKAGES) {
      const dir = path.join(project, 'node_modules', name);
      expect(existsSync(path.join(dir, 'LICENSE')), name).toBe(true);
      expect(existsSync(path.join(dir, 'lib')), name).toBe(true);
      expect(existsSync(path.join(dir, 'test')), name).toBe(false);
    }
    expect(existsSync(path.join(project, 'node_modules', '@gatehouse', 'web'))).toBe(false);
    expect(existsSync(path.join(project, 'node_modules', '@gatehouse', 'example-figures'))).toBe(false);
  });

  it("the README's gatehouse init (no --origins) writes a config, the starter Python core and .gitignore", async () => {
    const [command, ...args] = readmeCommand('npx gatehouse init').split(/\s+/);
    initOutput = (await timed('gatehouse init', () => inProject(command as string, args))).stdout;
    expect(args).not.toContain('--origins');
    expect(initOutput).toContain('created   gatehouse.config.ts');
    expect(readFileSync(path.join(project, 'core', 'handler.py'), 'utf8')).toContain('def handler(event, context):');
    expect(readFileSync(path.join(project, '.gitignore'), 'utf8')).toMatch(/^\.gatehouse\/$/m);
  });

  it("runs init's printed next steps as printed: gatehouse dev, then the curl answers 200 from the starter core", async () => {
    // Prepare: the steps exactly as init printed them
    const [devStep, curlStep] = nextSteps(initOutput);
    expect(devStep).toBe('npx gatehouse dev');
    expect(curlStep).toMatch(/^curl /);
    const started = performance.now();
    dev = spawn('sh', ['-c', devStep as string], {
      cwd: project,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    dev.stdout?.on('data', (chunk) => {
      devLog += chunk;
    });
    dev.stderr?.on('data', (chunk) => {
      devLog += chunk;
    });
    const deadline = Date.now() + 90_000;
    while (!devLog.includes('ready in') && dev.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    timings['gatehouse dev ready'] = Math.round(performance.now() - started);
    expect(devLog, devLog).toContain('ready in');
    expect(devLog).toContain('starting without it');

    // Act
    const { stdout } = await inProject('sh', ['-c', `${curlStep} -sS -w '\n%{http_code}'`]);

    // Assess (on failure, the answer and the stack's log say why)
    const [body, status] = stdout.trim().split('\n');
    expect(status, `${stdout}\n${devLog}`).toBe('200');
    expect(JSON.parse(body as string)).toEqual({ message: 'Hello, you!', caller: 'demo@gatehouse.local' });
  }, 120_000);

  it('adds a job route to the running project: the stack restarts with it, and the job gets its result', async () => {
    // Prepare: the adopter's edit (docs/JOBS.md), picked up by the running gatehouse dev
    const configFile = path.join(project, 'gatehouse.config.ts');
    const original = readFileSync(configFile, 'utf8');
    const withJob = original.replace(
      '  routes: {\n',
      "  routes: {\n    'POST /hello/later': { core: 'hello', schema: z.object({ name: z.string() }), job: { timeoutSeconds: 10 } },\n",
    );
    expect(withJob).toContain('/hello/later');
    const before = devLog.length;
    writeFileSync(configFile, withJob);
    const deadline = Date.now() + 90_000;
    while (!devLog.slice(before).includes('ready in') && dev?.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(devLog.slice(before), devLog).toContain('restarting the local stack');
    const { apiUrl } = JSON.parse(readFileSync(path.join(project, '.gatehouse', 'local.json'), 'utf8')) as {
      apiUrl: string;
    };
    const token = (await inProject('npx', ['gatehouse', 'token'])).stdout.trim();

    // Act: submit, then poll the job's Location as its owner
    const submitted = await fetch(`${apiUrl}/hello/later`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'later' }),
    });
    expect(submitted.status, `${await submitted.clone().text()}\n${devLog}`).toBe(202);
    const location = new URL(submitted.headers.get('location') ?? '', apiUrl);
    let job: { status?: string; result?: unknown } = {};
    for (let attempt = 0; attempt < 150 && job.status !== 'succeeded' && job.status !== 'failed'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await (await fetch(location, { headers: { authorization: `Bearer ${token}` } })).json()) as typeof job;
    }

    // Assess
    expect(job, devLog).toMatchObject({
      status: 'succeeded',
      result: { message: 'Hello, later!', caller: 'demo@gatehouse.local' },
    });
    // The steps below re-run init, which must find the config it wrote.
    writeFileSync(configFile, original);
  }, 120_000);

  it("resolves gatehouse's types under every moduleResolution an app uses: a wrong runtime is a type error", async () => {
    // Prepare
    writeFileSync(
      path.join(project, 'types-check.ts'),
      "import { defineConfig } from 'gatehouse';\n" +
        "import { GatehouseApi } from '@gatehouse/cdk';\n" +
        'export const api: typeof GatehouseApi = GatehouseApi;\n' +
        "export default defineConfig({ routes: {}, cores: { x: { runtime: 'python9', code: '.', handler: 'a.b' } } });\n",
    );
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const settings = [
      ['nodenext', 'nodenext'],
      ['node16', 'node16'],
      ['esnext', 'bundler'],
      ['commonjs', 'node10'],
    ];

    for (const [module, resolution] of settings) {
      // Act
      const result = await inProject(process.execPath, [
        tsc,
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        module as string,
        '--moduleResolution',
        resolution as string,
        '--target',
        'es2022',
        'types-check.ts',
      ]).then(
        () => '',
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );

      // Assess: exactly the one error, about the runtime — nothing resolved to `any`, nothing missing
      const errors = result.split('\n').filter((line) => line.includes('error TS'));
      expect(errors, `${resolution}:\n${result}`).toHaveLength(1);
      expect(errors[0], resolution).toContain('"python9"');
    }
  }, 120_000);

  it('gatehouse invoke runs a Python core whose requirements.txt names a package from a local wheelhouse', async () => {
    // Prepare: a second project on the same install, its core requiring a package pip can only
    // find in a wheelhouse (no index).
    const greeter = path.join(project, 'greeter');
    mkdirSync(path.join(greeter, 'core'), { recursive: true });
    writeFileSync(
      path.join(greeter, 'gatehouse.config.ts'),
      "export default {\n  routes: { 'GET /greet': { core: 'greet' } },\n  cores: { greet: { runtime: 'python3.12', code: './core', handler: 'handler.handler' } },\n  origins: ['https://app.example.com'],\n};\n",
    );
    writeFileSync(path.join(greeter, 'core', 'requirements.txt'), 'greetings==1.0.0\n');
    writeFileSync(
      path.join(greeter, 'core', 'handler.py'),
      'import greetings\n\n\ndef handler(event, context):\n    return {"message": greetings.greet(event["name"])}\n',
    );
    const wheelhouse = buildWheelhouse(path.join(scratch, 'wheelhouse'), [
      { name: 'greetings', files: { '__init__.py': 'def greet(name):\n    return f"Greetings, {name}!"\n' } },
    ]);

    // Act
    const { stdout } = await timed('gatehouse invoke (pip install)', () =>
      inProject('npx', ['gatehouse', 'invoke', 'greet', '--event', '{"name":"adopter"}'], greeter, {
        PIP_FIND_LINKS: wheelhouse,
        PIP_NO_INDEX: '1',
      }).catch((error: { stdout?: string; stderr?: string }) => {
        throw new Error(`gatehouse invoke failed:\n${error.stdout}\n${error.stderr}`);
      }),
    );

    // Assess
    expect(JSON.parse(stdout)).toEqual({ message: 'Greetings, adopter!' });
    expect(existsSync(path.join(greeter, '.gatehouse', 'python'))).toBe(true);
  }, 120_000);

  it('synthesises a plain CDK app with the stack file init writes when it finds cdk.json', async () => {
    // Prepare: the adopter's CDK app, which adds the stack init wrote.
    writeFileSync(path.join(project, 'cdk.json'), '{ "app": "npx tsx bin/app.ts" }\n');
    mkdirSync(path.join(project, 'bin'));
    copyFileSync(path.join(fixtures, 'cdk-app.ts'), path.join(project, 'bin', 'app.ts'));
    const { stdout } = await inProject('npx', ['gatehouse', 'init', '--runtime', 'python3.12', '--yes']);
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
    expect(runtimes).toEqual(['nodejs22.x', 'python3.12']);
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
