/**
 * gatehouse's local stack side by side with serverless-offline, serving the same edge and core
 * bundles (the ones the stack builds from the sample project) behind the same route and the same
 * Cognito-local ID token: req/s, p50 and p99 at concurrency 32 and 1, the three servers
 * interleaved round by round so a busy moment weighs on all of them alike.
 *
 * - gatehouse: the sample's local stack in a process of its own (gateway with the JWT verified →
 *   edge → Invoke API → core, each function in its own execution environment process);
 * - serverless-offline 13 on the Serverless Framework 3 (`frameworkVersion: '3'`, no login), its
 *   default mode (each function in worker threads) and `--useInProcess` (every function in
 *   serverless-offline's own process, sharing one `process.env`). Its HTTP API JWT authorizer
 *   reads the token's claims without verifying its signature.
 *
 * The two npm packages are not dependencies of this repository (≈ 280 MB, 460 packages, for a
 * benchmark run on a quiet machine now and then): the first run installs the pinned versions into
 * `bench/.tmp/serverless-offline/` (ignored by git). Without the npm registry the bench says so and
 * skips.
 *
 * Each server runs in its own process, apart from this load generator, and each row also gives the
 * CPU time a request cost that server's whole process tree (its execution environments included).
 *
 * `--node-threads` runs gatehouse's Node.js functions as worker threads (`nodeIsolation: 'thread'`,
 * `gatehouse dev --node-threads`) instead of a process per execution environment.
 *
 * Run on a quiet machine only (no builds or tests beside it: on a loaded 2-core machine these
 * figures are noise): npm run bench -- offline [--requests=3000] [--warmup=2000] [--rounds=3] [--node-threads]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn } from '@gatehouse/local';
import { type StackProcess, startStackProcess, treeCpuMs } from './local/stack-process';

const SERVERLESS_VERSION = '3.40.0';
const OFFLINE_VERSION = '13.9.0';
const CONCURRENCY = 32;
const BODY = JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' });
const READY_TIMEOUT_MS = 60_000;

const flag = (name: string, fallback: number): number => {
  const given = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = given ? Number(given.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1 (got ${given})`);
  return value;
};
const MEASURED = flag('requests', 3_000);
const WARM_UP = flag('warmup', 2_000);
const ROUNDS = flag('rounds', 3);
const NODE_THREADS = process.argv.includes('--node-threads');

const here = fileURLToPath(new URL('.', import.meta.url));
const installDir = path.join(here, '.tmp', 'serverless-offline');

if (!installServerlessOffline()) process.exit(0);

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-offline-'));
const children: ChildProcess[] = [];
const serviceDirs: string[] = [];
try {
  await compare();
} finally {
  for (const child of children) if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
  for (const dir of [stateDir, ...serviceDirs]) rmSync(dir, { recursive: true, force: true });
}

/** Installs the pinned pair once; false (with the reason printed) when npm cannot. */
function installServerlessOffline(): boolean {
  const marker = path.join(installDir, 'node_modules', 'serverless-offline', 'package.json');
  if (existsSync(marker)) return true;
  mkdirSync(installDir, { recursive: true });
  writeFileSync(
    path.join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'gatehouse-bench-serverless-offline', private: true }, null, 2)}\n`,
  );
  console.log(`installing serverless@${SERVERLESS_VERSION} and serverless-offline@${OFFLINE_VERSION} (once)…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(
    npm,
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      `serverless@${SERVERLESS_VERSION}`,
      `serverless-offline@${OFFLINE_VERSION}`,
    ],
    { cwd: installDir, encoding: 'utf8', timeout: 600_000 },
  );
  if (run.status === 0 && existsSync(marker)) return true;
  console.log(
    `skipped: could not install serverless@${SERVERLESS_VERSION} + serverless-offline@${OFFLINE_VERSION} from npm ` +
      `(${(run.stderr || run.error?.message || '').trim().split('\n').slice(-3).join(' ')}). ` +
      'The comparison needs the npm registry once; run it again where it is reachable.',
  );
  return false;
}

async function compare(): Promise<void> {
  const stack = await startStackProcess(stateDir, { nodeThreads: NODE_THREADS });
  try {
    const { cognito, demoUser, apiUrl } = stack;
    const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);
    const service = writeService(stack, cognito.issuer, cognito.clientId);
    const servers: Array<{ label: string; url: string; pid: number }> = [
      { label: NODE_THREADS ? 'gatehouse --node-threads' : 'gatehouse', url: `${apiUrl}/inference`, pid: stack.pid },
    ];
    for (const [label, extra] of [
      ['serverless-offline (default: worker threads)', []],
      ['serverless-offline --useInProcess', ['--useInProcess']],
    ] as const) {
      const offline = await startOffline(service, [...extra]);
      servers.push({ label, url: `${offline.url}/inference`, pid: offline.pid });
    }
    const agents = servers.map(() => new Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
    const results = new Map<string, LoadResult[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [index, server] of servers.entries()) {
        const target = { url: server.url, token: IdToken, agent: agents[index] as Agent };
        const first = await post(target);
        if (first.status !== 200) {
          throw new Error(`${server.label} answered ${first.status} to the first request: ${first.body.slice(0, 300)}`);
        }
        await load(target, WARM_UP, CONCURRENCY);
        for (const concurrency of [CONCURRENCY, 1]) {
          const cpuBefore = treeCpuMs(server.pid);
          const result = await load(target, MEASURED, concurrency);
          result.cpuMsPerRequest = (treeCpuMs(server.pid) - cpuBefore) / MEASURED;
          const key = `${server.label} | c = ${concurrency}`;
          results.set(key, [...(results.get(key) ?? []), result]);
          console.log(`round ${round}: ${key}: ${format(result)}`);
        }
      }
    }
    for (const agent of agents) agent.destroy();
    console.log(`\n${ROUNDS} interleaved round(s) of ${WARM_UP} warm-up + ${MEASURED} measured requests each:`);
    for (const [key, rounds] of results) console.log(`${key}: ${rounds.map(format).join(' / ')}`);
  } finally {
    await stack.stop();
  }
}

/**
 * A Serverless Framework 3 service beside the installed packages (so its plugin resolves) with
 * copies of the stack's own edge and core bundles, and the edge's environment as the stack sets it
 * but for the Invoke endpoint, which becomes serverless-offline's.
 */
function writeService(stack: StackProcess, issuer: string, clientId: string): string {
  const dir = mkdtempSync(path.join(installDir, 'service-'));
  serviceDirs.push(dir);
  const handlers: Record<string, string> = {};
  for (const [name, code] of [
    ['edge', stack.edge],
    ['core', stack.core],
  ] as const) {
    mkdirSync(path.join(dir, name));
    const [module, exported] = code.handler.split('.');
    copyFileSync(path.join(code.codeDir, `${module}.mjs`), path.join(dir, name, `${module}.mjs`));
    handlers[name] = `${name}/${module}.${exported}`;
  }
  // What the stack gives the two functions, less what Lambda sets itself (serverless-offline sets
  // its own), with the core's name and the Invoke endpoint serverless-offline's. Provider-wide:
  // in-process mode shares one environment anyway. JSON strings are valid YAML scalars.
  const environment: Record<string, string> = {
    ...stack.core.environment,
    ...stack.edge.environment,
    CORE_TARGETS: 'figures=gatehouse-bench-local-core',
    // Serverless variable syntax: the port is chosen per run.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Serverless Framework variable, not a template
    AWS_ENDPOINT_URL_LAMBDA: '${env:BENCH_LAMBDA_ENDPOINT}',
    LOG_LEVEL: 'warn',
  };
  writeFileSync(
    path.join(dir, 'serverless.yml'),
    [
      'service: gatehouse-bench',
      "frameworkVersion: '3'",
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      '  region: us-east-1',
      '  stage: local',
      '  environment:',
      ...Object.entries(environment)
        .filter(([key]) => !/^(AWS_LAMBDA_|LAMBDA_|PATH$|TZ$|LANG$)/.test(key))
        .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`),
      '  httpApi:',
      '    authorizers:',
      '      cognito:',
      '        identitySource: $request.header.Authorization',
      `        issuerUrl: ${issuer}`,
      '        audience:',
      `          - ${clientId}`,
      'plugins:',
      '  - serverless-offline',
      'functions:',
      '  edge:',
      `    handler: ${handlers.edge}`,
      '    timeout: 30',
      '    events:',
      '      - httpApi:',
      '          method: POST',
      '          path: /inference',
      '          authorizer:',
      '            name: cognito',
      '  core:',
      `    handler: ${handlers.core}`,
      `    timeout: ${stack.core.timeoutSeconds}`,
      '',
    ].join('\n'),
  );
  return dir;
}

/** serverless-offline on free ports; resolves with its HTTP base URL and process once it answers. */
async function startOffline(serviceDir: string, extra: string[]): Promise<{ url: string; pid: number }> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DEPRECATION_DISABLE: '*',
    BENCH_LAMBDA_ENDPOINT: `http://127.0.0.1:${lambdaPort}`,
  };
  const child = spawn(
    process.execPath,
    [
      path.join(installDir, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'offline',
      'start',
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(httpPort),
      '--lambdaPort',
      String(lambdaPort),
      '--noTimeout',
      // Its JWT authorizer runs only with this flag, and then decodes the claims unverified.
      '--ignoreJWTSignature',
      ...extra,
    ],
    { cwd: serviceDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serverless-offline ${extra.join(' ')} exited:\n${output}`);
    if (await answers(url)) return { url, pid: child.pid as number };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`serverless-offline ${extra.join(' ')} was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time of the server's whole process tree per request. */
  cpuMsPerRequest?: number;
}

interface Target {
  url: string;
  token: string;
  agent: Agent;
}

function format(result: LoadResult): string {
  const cpu =
    result.cpuMsPerRequest === undefined ? '' : `, server CPU ${result.cpuMsPerRequest.toFixed(2)} ms/request`;
  return `${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms${cpu}, ${result.errors} errors`;
}

/** `count` POSTs, `concurrency` at a time over keep-alive connections. */
async function load(target: Target, count: number, concurrency: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const begin = performance.now();
      const { status } = await post(target);
      latencies.push(performance.now() - begin);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { requestsPerSecond: count / seconds, p50: at(0.5), p99: at(0.99), errors };
}

function post(target: Target): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      target.url,
      {
        method: 'POST',
        agent: target.agent,
        headers: { authorization: target.token, 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, body: error.message }));
    req.end(BODY);
  });
}
