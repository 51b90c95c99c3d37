/**
 * The edge Lambda's budget, measured: bundle size (bytes, gzipped), cold init (a fresh `node`
 * process importing the bundle with the Lambda environment set; median of COLD_RUNS), and
 * per-request cost against a stub Invoke API on loopback (median µs over a bounded count of
 * sequential requests after a warm-up), beside the floor (a bare keep-alive node:http round trip),
 * a SigV4-signed global fetch, and @aws-sdk/client-lambda. The SDK and Powertools bundles are built
 * here only to measure what the edge avoids.
 *
 * The sample's edge (zod/mini) and the Python example's (valibot) are both measured, and so is the
 * comparison baseline: a hand-written Python edge calling the core with boto3
 * (bench/edge/boto3_edge_baseline.py), the kind of edge gatehouse replaces, through the same stub
 * and the same event, its cold init interleaved with ours. Without `python3` and `boto3` its rows
 * are skipped with a line saying why.
 *
 * Targets (issue 19): bundle ≤ 55 KB, per request ≤ 0.5 × and cold init ≤ 0.1 × the boto3 edge.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { lambdaBuildOptions } from '@gatehouse/bundler';
import * as esbuild from 'esbuild';
import { httpApiEvent } from '../packages/edge/test/helpers';
import { bundle, projectEdgeBuildOptions, repoRoot, SAMPLE_CONFIG } from '../scripts/bundle-lambda';

const COLD_RUNS = 21;
/** Rounds of the per-request measurements, every client once a round, so a busy minute weighs on all alike. */
const COST_ROUNDS = 2;
/** The same counts as bench/edge/request-cost.ts, for the boto3 baseline. */
const WARM_UP = 300;
const REQUESTS = 3000;
const here = path.dirname(fileURLToPath(import.meta.url));
const BOTO3_HARNESS = path.join(here, 'edge', 'boto3_request_cost.py');
const tmp = path.join(here, '.tmp', 'edge');
mkdirSync(tmp, { recursive: true });

const LAMBDA_ENV = {
  CORE_TARGETS: 'figures=gatehouse-core',
  ALLOWED_ORIGINS: 'https://app.example.com',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_SESSION_TOKEN: 'bench-token',
  AWS_LAMBDA_FUNCTION_NAME: 'gatehouse-edge',
  // The Python example has a job route: its edge reads where jobs live at cold start.
  JOBS_TABLE: 'gatehouse-jobs',
  JOB_RUNNER: 'gatehouse-job-runner',
};

/** Bundles a comparison entry with the Lambda options, so every figure is for the same kind of artefact. */
async function bundleComparison(name: string): Promise<string> {
  const outfile = path.join(tmp, `${name}.mjs`);
  await esbuild.build({
    ...lambdaBuildOptions(path.join(here, 'edge', `${name}.ts`), outfile),
    sourcemap: false,
    metafile: false,
  });
  return outfile;
}

function sizes(file: string): { bytes: number; gzipped: number } {
  const code = readFileSync(file);
  return { bytes: code.length, gzipped: gzipSync(code).length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** What a cold-init sample runs: a bundle imported by a fresh `node`, or the boto3 baseline by a fresh `python3`. */
type ColdTarget = { kind: 'node'; file: string } | { kind: 'python' };

/** One fresh process importing the target: the import time it reports, and the wall time of the whole process. */
function coldInitOnce(target: ColdTarget): { importMs: number; processMs: number } {
  // The figure goes to stdout behind a marker: the SDK writes a Node-version warning to stderr at import.
  const [command, args] =
    target.kind === 'node'
      ? [
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const t=performance.now();await import(${JSON.stringify(pathToFileURL(target.file).href)});process.stdout.write('\\nimport-ms='+(performance.now()-t));`,
          ],
        ]
      : ['python3', [BOTO3_HARNESS, 'init']];
  const started = performance.now();
  const run = spawnSync(command, args, { env: { ...process.env, ...LAMBDA_ENV, NODE_OPTIONS: '' }, encoding: 'utf8' });
  const processMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`cold init of ${JSON.stringify(target)} failed: ${run.stderr}`);
  return { importMs: Number(/import-ms=([\d.]+)/.exec(run.stdout)?.[1]), processMs };
}

/**
 * Medians over COLD_RUNS rounds; each round imports every target once, so a busy moment on a shared
 * machine weighs on all of them alike rather than on whichever ran then.
 */
function coldInit(targets: readonly ColdTarget[]): Array<{ importMs: number; processMs: number }> {
  const samples = targets.map(() => ({ imports: [] as number[], walls: [] as number[] }));
  for (let round = 0; round < COLD_RUNS; round++) {
    targets.forEach((target, i) => {
      const { importMs, processMs } = coldInitOnce(target);
      samples[i]?.imports.push(importMs);
      samples[i]?.walls.push(processMs);
    });
  }
  return samples.map((s) => ({ importMs: median(s.imports), processMs: median(s.walls) }));
}

/** `python3` with boto3, or why the baseline cannot run here. */
function boto3Baseline(): { available: true; version: string } | { available: false; why: string } {
  const probe = spawnSync('python3', ['-c', 'import sys, boto3; print(sys.version.split()[0], boto3.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.error) return { available: false, why: `python3 could not be run (${probe.error.message})` };
  if (probe.status !== 0) {
    const reason = probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`;
    return { available: false, why: `python3 cannot import boto3 (${reason}); Debian: apt-get install python3-boto3` };
  }
  const [python, boto3] = probe.stdout.trim().split(' ');
  return { available: true, version: `Python ${python}, boto3 ${boto3}` };
}

function startStub(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'edge', 'stub-invoke-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the stub did not start within 20 s')), 20_000);
    child.stdout?.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve({ url: `http://127.0.0.1:${chunk.toString().trim()}`, child });
    });
    child.once('exit', (code) => reject(new Error(`the stub exited (${code})`)));
  });
}

interface Cost {
  kind: string;
  requests: number;
  medianUs: number;
  p99Us: number;
}

function requestCost(kind: string, stubUrl: string, bundle: string): Promise<Cost> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'edge', 'request-cost.ts'), kind], {
    env: { ...process.env, STUB_URL: stubUrl, EDGE_BUNDLE: bundle, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${kind} did not finish within 120 s`));
    }, 120_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as Cost);
    });
    // A settled promise ignores a later reject, so this only fires when no figures arrived.
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited with ${code} before reporting its figures`));
    });
  });
}

/** The boto3 baseline's per-request cost, measured by its own harness in a fresh `python3`. */
function boto3RequestCost(stubUrl: string, eventFile: string): Cost {
  const run = spawnSync('python3', [BOTO3_HARNESS, 'cost', eventFile, String(WARM_UP), String(REQUESTS)], {
    env: { ...process.env, ...LAMBDA_ENV, AWS_ENDPOINT_URL_LAMBDA: stubUrl },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0) throw new Error(`the boto3 baseline failed: ${run.error?.message ?? run.stderr}`);
  const figures = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Omit<Cost, 'kind'>;
  return { kind: 'boto3 edge', ...figures };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

// The sample project's edge: gatehouse's edge with the sample's zod/mini schema inside.
const edge = await bundle(await projectEdgeBuildOptions(SAMPLE_CONFIG));
// The Python example's edge: the same edge with a valibot schema inside, so the budget holds for another validator.
const PYTHON_CONFIG = path.join(repoRoot, 'examples', 'python', 'gatehouse.config.ts');
const pythonEdge = await bundle(await projectEdgeBuildOptions(PYTHON_CONFIG));
const empty = path.join(tmp, 'empty.mjs');
writeFileSync(empty, 'export {};\n');
const bundles = {
  'edge (shipped)': edge.outfile,
  'edge (examples/python, valibot)': pythonEdge.outfile,
  '@aws-sdk/client-lambda only': await bundleComparison('sdk-edge'),
  'Powertools Logger + Metrics only': await bundleComparison('powertools-edge'),
  'empty module (baseline)': empty,
};

const baseline3 = boto3Baseline();
if (!baseline3.available) console.log(`boto3 baseline skipped: ${baseline3.why}\n`);
const boto3Name = baseline3.available ? `boto3 edge (baseline; ${baseline3.version})` : '';

console.log(`bundle and cold init (median of ${COLD_RUNS} fresh processes, interleaved)`);
console.log('| bundle | size | gzipped | import | import over baseline | whole process |');
console.log('|---|---|---|---|---|---|');
const files = Object.values(bundles);
const targets: ColdTarget[] = [
  ...files.map((file) => ({ kind: 'node' as const, file })),
  ...(baseline3.available ? [{ kind: 'python' as const }] : []),
];
const inits = coldInit(targets);
const baseline = inits[files.indexOf(empty)]?.importMs ?? 0;
Object.entries(bundles).forEach(([name, file], i) => {
  const { bytes, gzipped } = sizes(file);
  const init = inits[i] ?? { importMs: Number.NaN, processMs: Number.NaN };
  const over = (init.importMs - baseline).toFixed(1);
  console.log(
    `| ${name} | ${kb(bytes)} | ${kb(gzipped)} | ${init.importMs.toFixed(1)} ms | ${over} ms | ${init.processMs.toFixed(0)} ms |`,
  );
});
const boto3Init = baseline3.available ? inits[files.length] : undefined;
if (boto3Init) {
  console.log(
    `| ${boto3Name} | — | — | ${boto3Init.importMs.toFixed(1)} ms | — | ${boto3Init.processMs.toFixed(0)} ms |`,
  );
  const ours = inits[0]?.importMs ?? Number.NaN;
  console.log(
    `\ncold init, the sample's edge ÷ the boto3 edge: ${(ours / boto3Init.importMs).toFixed(3)}× (target ≤ 0.1×)`,
  );
}

const eventFile = path.join(tmp, 'event.json');
writeFileSync(eventFile, JSON.stringify(httpApiEvent()));
const stub = await startStub();
try {
  console.log('\nper-request cost against a stub Invoke API on loopback (sequential, after warm-up)');
  console.log('| client | round | requests | median | p99 |');
  console.log('|---|---|---|---|---|');
  const ratios: string[] = [];
  for (let round = 1; round <= COST_ROUNDS; round++) {
    const costs: Cost[] = [];
    for (const kind of ['floor', 'edge-client', 'edge-handler', 'fetch', 'sdk']) {
      costs.push(await requestCost(kind, stub.url, edge.outfile));
    }
    if (baseline3.available) costs.push(boto3RequestCost(stub.url, eventFile));
    for (const cost of costs) {
      const name = cost.kind === 'boto3 edge' ? boto3Name : cost.kind;
      console.log(
        `| ${name} | ${round} | ${cost.requests} | ${cost.medianUs.toFixed(0)} µs | ${cost.p99Us.toFixed(0)} µs |`,
      );
    }
    const ours = costs.find((c) => c.kind === 'edge-handler');
    const theirs = costs.find((c) => c.kind === 'boto3 edge');
    if (ours && theirs) ratios.push((ours.medianUs / theirs.medianUs).toFixed(2));
  }
  if (ratios.length > 0) {
    console.log(
      `\nper request (median), the whole edge handler ÷ the boto3 edge: ${ratios.join(' / ')}× (target ≤ 0.5×)`,
    );
  }
} finally {
  if (stub.child.pid) process.kill(stub.child.pid);
}
console.log(`\nbundles built under ${path.relative(repoRoot, tmp)}`);
