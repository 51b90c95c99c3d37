/**
 * What admitting a caller costs the local Invoke API and Parameter Store: one SigV4 verification
 * by the local credential (iam/service-admission.ts) per request, for a small event, 1 MB and
 * 6 MB (Lambda's limit), with the edge's signing (`aws4.sign`) of the same small request beside it
 * for scale. Figures are recorded in docs/LOCAL.md ("Who can reach the local services").
 *
 * Run: npm run bench -- local-admission
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import aws4 from 'aws4';
import { loadLocalCredential, verifyServiceSignature } from '../packages/local/src/iam';

const PATH = '/2015-03-31/functions/gatehouse-core/invocations';
const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-admission-'));
process.once('exit', () => rmSync(stateDir, { recursive: true, force: true }));
const LOCAL_CREDENTIAL = loadLocalCredential(stateDir);
const ADMISSION = { service: 'lambda', region: 'us-east-1', credentials: [LOCAL_CREDENTIAL] };

function signedRequest(body: string): IncomingMessage {
  const signed = aws4.sign(
    {
      service: 'lambda',
      region: 'us-east-1',
      method: 'POST',
      host: '127.0.0.1:3001',
      path: PATH,
      body,
      headers: { 'content-type': 'application/json' },
    },
    { ...LOCAL_CREDENTIAL, sessionToken: 'gatehouse-local-session' },
  );
  const rawHeaders = Object.entries(signed.headers ?? {}).flatMap(([name, value]) => [name, String(value)]);
  return { method: 'POST', url: PATH, rawHeaders } as unknown as IncomingMessage;
}

async function perCallMicros(label: string, bytes: number, iterations: number): Promise<void> {
  const body = `"${'x'.repeat(bytes - 2)}"`;
  const req = signedRequest(body);
  const buffer = Buffer.from(body);
  for (let i = 0; i < Math.min(20, iterations); i++) await verifyServiceSignature(req, buffer, ADMISSION);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const refusal = await verifyServiceSignature(req, buffer, ADMISSION);
    if (refusal) throw new Error(`refused: ${refusal.message}`);
  }
  console.log(`verify ${label}: ${(((performance.now() - started) / iterations) * 1000).toFixed(0)} µs per request`);
}

await perCallMicros('1 KB', 1_024, 3_000);
await perCallMicros('1 MB', 1_048_576, 50);
await perCallMicros('6 MB', 6_291_456, 10);

const small = `"${'x'.repeat(1_022)}"`;
const started = performance.now();
for (let i = 0; i < 3_000; i++) signedRequest(small);
console.log(
  `the edge's aws4.sign, 1 KB (for scale): ${(((performance.now() - started) / 3_000) * 1000).toFixed(0)} µs per request`,
);
