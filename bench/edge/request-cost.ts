/**
 * Measures the per-request cost of one way of calling the stub Invoke API, in a process of its own:
 * a warm-up, then a bounded count of sequential requests, each timed; reports the median and p99
 * in microseconds to the parent over IPC. Run by bench/edge.bench.ts; stdout is discarded so the
 * edge's log lines cost what a write to Lambda's log pipe costs, without flooding the report.
 *
 * Kinds: floor (bare keep-alive node:http), edge-client (the edge's signed Invoke client),
 * edge-handler (the whole bundled edge: CORS, claims, body, invoke, answer, log), fetch (global
 * fetch, SigV4-signed with aws4), sdk (@aws-sdk/client-lambda).
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaInvokeClient } from '@gatehouse/edge';
import aws4 from 'aws4';
import { httpApiEvent, lambdaContext } from '../../packages/edge/test/helpers';

export const WARM_UP = 300;
export const REQUESTS = 3000;

const kind = process.argv[2] ?? '';
const endpoint = process.env.STUB_URL ?? '';
const bundle = process.env.EDGE_BUNDLE ?? '';
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret', sessionToken: 'bench-token' };
const payload = JSON.stringify({
  input: { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' },
  identity: { sub: 's', email: 'e@example.com', username: 'u', groups: ['users'] },
  requestMeta: { requestId: 'r', sourceIp: '127.0.0.1', userAgent: null, receivedAt: new Date(0).toISOString() },
});
const url = new URL('/2015-03-31/functions/gatehouse-core/invocations', endpoint);

async function makeCall(): Promise<() => Promise<unknown>> {
  switch (kind) {
    case 'floor': {
      const agent = new http.Agent({ keepAlive: true });
      return () =>
        new Promise((resolve, reject) => {
          const req = http.request(
            url,
            { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
            (res) => {
              res.resume();
              res.on('end', resolve);
            },
          );
          req.on('error', reject);
          req.end(payload);
        });
    }
    case 'edge-client': {
      const client = new LambdaInvokeClient({ region: 'eu-west-1', endpoint: new URL(endpoint), credentials });
      const target = { functionName: 'gatehouse-core', qualifier: undefined };
      return () => client.invoke(target, payload, AbortSignal.timeout(10_000));
    }
    case 'edge-handler': {
      Object.assign(process.env, {
        CORE_TARGETS: 'figures=gatehouse-core',
        ALLOWED_ORIGINS: 'https://app.example.com',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken,
        AWS_ENDPOINT_URL_LAMBDA: endpoint,
      });
      const { handler } = (await import(pathToFileURL(bundle).href)) as {
        handler: (e: unknown, c: unknown) => Promise<{ statusCode: number }>;
      };
      const event = httpApiEvent();
      return async () => {
        const result = await handler(event, lambdaContext());
        if (result.statusCode !== 200) throw new Error(`edge answered ${result.statusCode}`);
      };
    }
    case 'fetch': {
      return async () => {
        const signed = aws4.sign(
          {
            service: 'lambda',
            region: 'eu-west-1',
            method: 'POST',
            host: url.host,
            path: url.pathname,
            headers: { 'content-type': 'application/json' },
            body: payload,
          },
          credentials,
        );
        const res = await fetch(url, {
          method: 'POST',
          headers: signed.headers as Record<string, string>,
          body: payload,
        });
        await res.arrayBuffer();
      };
    }
    case 'sdk': {
      const client = new LambdaClient({ region: 'eu-west-1', endpoint, credentials, maxAttempts: 1 });
      return () => client.send(new InvokeCommand({ FunctionName: 'gatehouse-core', Payload: payload }));
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

const call = await makeCall();
for (let i = 0; i < WARM_UP; i++) await call();
const samples: number[] = [];
for (let i = 0; i < REQUESTS; i++) {
  const started = performance.now();
  await call();
  samples.push((performance.now() - started) * 1000);
}
samples.sort((a, b) => a - b);
const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
process.send?.({ kind, requests: REQUESTS, medianUs: at(0.5), p99Us: at(0.99) });
process.disconnect?.();
