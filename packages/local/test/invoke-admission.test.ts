/**
 * Who the local Invoke API runs functions for: only callers signing with the local credential.
 * A web page open in the developer's browser — a `text/plain` cross-origin POST, a rebound domain
 * name, a preflight — never gets a function to run.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllowedOrigins } from '@gatehouse/contract';
import { SAMPLE_API } from '@gatehouse/testing';
import aws4 from 'aws4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../src/gateway';
import { type LambdaService, nodeBundle, startLambdaService } from '../src/lambda';
import { send } from './helpers/gateway-http';
import { testCredential } from './helpers/test-credential';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const PATH = '/2015-03-31/functions/behaviours/invocations';
const EVENT = JSON.stringify({ action: 'log' });

let service: LambdaService;
const logLines: string[] = [];
const runs = () => logLines.filter((line) => line.includes('hello from behaviours')).length;

beforeAll(async () => {
  service = await startLambdaService({
    credential: testCredential,
    port: 0,
    reloadOnChange: false,
    onLog: (_name, _stream, line) => logLines.push(line),
    functions: [
      { name: 'behaviours', ...nodeBundle(path.join(fixtures, 'behaviours.mjs')), timeoutSeconds: 10, memoryMb: 256 },
    ],
  });
});

afterAll(() => service?.close());

type Credentials = { accessKeyId: string; secretAccessKey: string };

/** The credential once written in gatehouse's source, which anyone could sign with. */
const PUBLISHED_CREDENTIAL = { accessKeyId: 'AKIAGATEHOUSELOCAL00', secretAccessKey: 'gatehouse-local-secret' };

function signed(
  credentials: Credentials,
  headers: Record<string, string> = {},
  host = new URL(service.url).host,
  region = 'us-east-1',
) {
  const request = aws4.sign(
    {
      service: 'lambda',
      region,
      method: 'POST',
      host,
      path: PATH,
      body: EVENT,
      headers: { host, 'content-type': 'application/json', ...headers },
    },
    credentials,
  );
  // `send` writes content-length itself.
  return Object.entries(request.headers ?? {})
    .filter(([name]) => name.toLowerCase() !== 'content-length')
    .map(([name, value]) => [name, String(value)] as [string, string]);
}

describe('local Invoke API admission', () => {
  it('runs the function for a request signed with the local credential', async () => {
    // Prepare
    const before = runs();
    // Act
    const res = await send(`${service.url}${PATH}`, {
      method: 'POST',
      headers: signed(testCredential),
      body: EVENT,
    });
    // Assess
    expect(res.status).toBe(200);
    expect(runs()).toBe(before + 1);
  });

  it.each<[string, () => [string, string][], string]>([
    [
      "a browser's text/plain cross-origin POST",
      () => [
        ['content-type', 'text/plain'],
        ['origin', 'https://evil.example'],
      ],
      'AccessDeniedException',
    ],
    ['an unsigned JSON POST', () => [['content-type', 'application/json']], 'MissingAuthenticationTokenException'],
    [
      'a signed request that also carries an Origin',
      () => signed(testCredential, { origin: 'http://127.0.0.1:5173' }),
      'AccessDeniedException',
    ],
    [
      'a request signed with a guessed secret',
      () => signed({ accessKeyId: testCredential.accessKeyId, secretAccessKey: 'guessed' }),
      'InvalidSignatureException',
    ],
    [
      'a request signed with unknown keys',
      () => signed({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }),
      'UnrecognizedClientException',
    ],
    [
      'a request to a domain name rebound to loopback',
      () => signed(testCredential, {}, 'evil.example'),
      'AccessDeniedException',
    ],
    ['a request to loopback on another port', () => signed(testCredential, {}, '127.0.0.1:1'), 'AccessDeniedException'],
    [
      'a request signed with the credential once published in the source',
      () => signed(PUBLISHED_CREDENTIAL),
      'UnrecognizedClientException',
    ],
    [
      'a request signed with the local credential for another region',
      () => signed(testCredential, {}, undefined, 'eu-west-1'),
      'InvalidSignatureException',
    ],
  ])('refuses %s with 403 and never runs the function', async (_name, headers, errorType) => {
    // Prepare
    const before = runs();
    // Act
    const res = await send(`${service.url}${PATH}`, { method: 'POST', headers: headers(), body: EVENT });
    // Assess
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe(errorType);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(runs()).toBe(before);
  });

  it('answers a preflight from any origin with no CORS allow headers', async () => {
    // Act
    const res = await send(`${service.url}${PATH}`, {
      method: 'OPTIONS',
      headers: [
        ['origin', 'https://evil.example'],
        ['access-control-request-method', 'POST'],
        ['access-control-request-headers', 'authorization,x-amz-date'],
      ],
    });
    // Assess
    expect(res.status).toBe(403);
    expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it("admits the gateway's own signed integration calls", async () => {
    // Prepare
    const gateway = await startGateway({
      port: 0,
      api: SAMPLE_API,
      allowedOrigins: parseAllowedOrigins('https://app.example.com'),
      authorizer: { type: 'none' },
      lambdaEndpoint: service.url,
      lambdaCredential: testCredential,
      functionNames: { edge: 'behaviours' },
    });
    try {
      // Act
      const res = await send(`${gateway.stageUrl}/inference`, {
        method: 'POST',
        headers: [['content-type', 'application/json']],
        body: '{}',
      });
      // Assess
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ version: 1 });
    } finally {
      await gateway.close();
    }
  });
});
