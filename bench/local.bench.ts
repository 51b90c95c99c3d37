/**
 * The local stack's figures: how long `startStack` takes to be ready (web off and on — what
 * `npm start` waits for), and authenticated end-to-end throughput and latency at concurrency 32
 * and latency at concurrency 1 through gateway → edge → Invoke API → core — the stack in a process
 * of its own, apart from this load generator — beside a ceiling measured in the same run: a bare
 * Node HTTP server (in this process) that only verifies the same JWT with jose and answers JSON.
 *
 * Run: npm run bench -- local
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signIn, startStack } from '@gatehouse/local';
import { startWebDevServer } from '@gatehouse/web/dev-server';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { SAMPLE_CONFIG } from '../scripts/bundle-lambda';
import { startStackProcess } from './local/stack-process';

const CONCURRENCY = 32;
const WARM_UP = 300;
const MEASURED = 3_000;
/** Requests measured one at a time: the latency of a single request through the four hops. */
const MEASURED_SERIAL = 1_000;
const BODY = JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' });

interface LoadResult {
  requests: number;
  concurrency: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-'));
try {
  await readiness();
  await throughput();
} finally {
  rmSync(stateDir, { recursive: true, force: true });
}

async function readiness(): Promise<void> {
  // The first start seeds the identity store and warms the file cache; `npm start` once installed is the second.
  for (const web of [false, false, true]) {
    const started = performance.now();
    const stack = await startStack({ config: SAMPLE_CONFIG, stateDir, ...(web ? { web: startWebDevServer } : {}) });
    const ready = performance.now() - started;
    await stack.stop();
    console.log(`startStack ready (web ${web ? 'on ' : 'off'}): ${(ready / 1000).toFixed(2)} s`);
  }
}

async function throughput(): Promise<void> {
  const stack = await startStackProcess(stateDir);
  try {
    const { cognito, demoUser, apiUrl } = stack;
    const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);
    const ceiling = await startCeiling(cognito.issuer, cognito.clientId);
    try {
      // One keep-alive agent per target, shared by warm-up and measurement, so the measured
      // requests reuse the warm connections instead of opening 32 new ones.
      const target = { url: `${apiUrl}/inference`, token: IdToken, agent: keepAliveAgent() };
      await load(target, WARM_UP);
      const stackResult = await load(target, MEASURED);
      const stackSerial = await load(target, MEASURED_SERIAL, 1);
      const ceilingTarget = { url: `${ceiling.url}/inference`, token: IdToken, agent: keepAliveAgent() };
      await load(ceilingTarget, WARM_UP);
      const ceilingResult = await load(ceilingTarget, MEASURED);
      const ceilingSerial = await load(ceilingTarget, MEASURED_SERIAL, 1);
      target.agent.destroy();
      ceilingTarget.agent.destroy();
      report('end to end (gateway → edge → core)', stackResult);
      report('end to end (gateway → edge → core)', stackSerial);
      report('ceiling (bare node:http + jose verify)', ceilingResult);
      report('ceiling (bare node:http + jose verify)', ceilingSerial);
      console.log(
        `end to end / ceiling: ${((100 * stackResult.requestsPerSecond) / ceilingResult.requestsPerSecond).toFixed(0)} %`,
      );
    } finally {
      await ceiling.close();
    }
  } finally {
    await stack.stop();
  }
}

function report(label: string, result: LoadResult): void {
  console.log(
    `${label}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.errors} errors (${result.requests} requests, concurrency ${result.concurrency})`,
  );
}

/** A bounded number of POSTs, `concurrency` at a time over keep-alive connections. */
interface Target {
  url: string;
  token: string;
  agent: Agent;
}

function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
}

async function load(target: Target, count: number, concurrency = CONCURRENCY): Promise<LoadResult> {
  const { agent } = target;
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      const begin = performance.now();
      const status = await post(agent, target);
      latencies.push(performance.now() - begin);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { requests: count, concurrency, requestsPerSecond: count / seconds, p50: at(0.5), p99: at(0.99), errors };
}

function post(agent: Agent, target: Target): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      target.url,
      { method: 'POST', agent, headers: { authorization: target.token, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(BODY);
  });
}

/** The ceiling: verify the JWT exactly as the gateway must (jose, remote JWKS), read the body, answer JSON. */
async function startCeiling(issuer: string, audience: string): Promise<{ url: string; close(): Promise<void> }> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const { payload } = await jwtVerify(String(req.headers.authorization ?? ''), jwks, { issuer, audience });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sub: payload.sub, bytes: body.length }));
    } catch {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"message":"Unauthorized"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
