/**
 * The edge Lambda's budget, measured: bundle size (bytes, gzipped), cold init (a fresh `node`
 * process importing the bundle with the Lambda environment set; median of COLD_RUNS), and
 * per-request cost against a stub Invoke API on loopback (median µs over a bounded count of
 * sequential requests after a warm-up), beside the floor (a bare keep-alive node:http round trip),
 * a SigV4-signed global fetch, and @aws-sdk/client-lambda. The SDK and Powertools bundles are built
 * here only to measure what the edge avoids.
 *
 * The sample's edge (zod/mini) and the Python example's (valibot) are both measured.
 *
 * Targets (issue 2): bundle ≤ 100 KB, cold init ≤ 40 ms, per-request ≤ 0.6 × a Python/boto3 edge.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { lambdaBuildOptions } from '@gatehouse/bundler';
import * as esbuild from 'esbuild';
import { bundle, projectEdgeBuildOptions, repoRoot, SAMPLE_CONFIG } from '../scripts/bundle-lambda';

const COLD_RUNS = 21;
const here = path.dirname(fileURLToPath(import.meta.url));
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

/** One fresh process importing `file`: the import time it reports, and the wall time of the whole process. */
function coldInitOnce(file: string): { importMs: number; processMs: number } {
  // The figure goes to stdout behind a marker: the SDK writes a Node-version warning to stderr at import.
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write('\\nimport-ms='+(performance.now()-t));`;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...LAMBDA_ENV, NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  const processMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return { importMs: Number(/import-ms=([\d.]+)/.exec(run.stdout)?.[1]), processMs };
}

/**
 * Medians over COLD_RUNS rounds; each round imports every bundle once, so a busy moment on a shared
 * machine weighs on all of them alike rather than on whichever ran then.
 */
function coldInit(files: readonly string[]): Array<{ importMs: number; processMs: number }> {
  const samples = files.map(() => ({ imports: [] as number[], walls: [] as number[] }));
  for (let round = 0; round < COLD_RUNS; round++) {
    files.forEach((file, i) => {
      const { importMs, processMs } = coldInitOnce(file);
      samples[i]?.imports.push(importMs);
      samples[i]?.walls.push(processMs);
    });
  }
  return samples.map((s) => ({ importMs: median(s.imports), processMs: median(s.walls) }));
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

console.log(`bundle and cold init (median of ${COLD_RUNS} fresh processes, interleaved)`);
console.log('| bundle | size | gzipped | import | import over baseline | whole process |');
console.log('|---|---|---|---|---|---|');
const files = Object.values(bundles);
const inits = coldInit(files);
const baseline = inits[files.indexOf(empty)]?.importMs ?? 0;
Object.entries(bundles).forEach(([name, file], i) => {
  const { bytes, gzipped } = sizes(file);
  const init = inits[i] ?? { importMs: Number.NaN, processMs: Number.NaN };
  const over = (init.importMs - baseline).toFixed(1);
  console.log(
    `| ${name} | ${kb(bytes)} | ${kb(gzipped)} | ${init.importMs.toFixed(1)} ms | ${over} ms | ${init.processMs.toFixed(0)} ms |`,
  );
});

const stub = await startStub();
try {
  console.log('\nper-request cost against a stub Invoke API on loopback (sequential, after warm-up)');
  console.log('| client | requests | median | p99 |');
  console.log('|---|---|---|---|');
  for (const kind of ['floor', 'edge-client', 'edge-handler', 'fetch', 'sdk']) {
    const cost = await requestCost(kind, stub.url, edge.outfile);
    console.log(`| ${kind} | ${cost.requests} | ${cost.medianUs.toFixed(0)} µs | ${cost.p99Us.toFixed(0)} µs |`);
  }
} finally {
  if (stub.child.pid) process.kill(stub.child.pid);
}
console.log(`\nbundles built under ${path.relative(repoRoot, tmp)}`);
