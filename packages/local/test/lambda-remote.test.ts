/**
 * Remote functions: the local Invoke API forwards to AWS with the developer's own credentials. A
 * stub AWS Lambda endpoint checks each request's SigV4 signature against a profile's keys (read by
 * the SDK from a temporary AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE) and answers as AWS would.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySigV4 } from '../src/iam';
import { type LambdaService, startLambdaService } from '../src/lambda';
import { signedInvoke } from './helpers/signed-invoke';
import { testCredential } from './helpers/test-credential';

const REGION = 'eu-west-1';
const KEY = { accessKeyId: 'AKIAREMOTETEST000001', secretAccessKey: 'remote-test-secret' };
const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-remote-'));
const ENV_KEYS = [
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_EC2_METADATA_DISABLED',
  'HOME',
] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let stub: Server;
/** The credential once written in gatehouse's source, which anyone could sign with. */
const PUBLISHED_CREDENTIAL = { accessKeyId: 'AKIAGATEHOUSELOCAL00', secretAccessKey: 'gatehouse-local-secret' };
let service: LambdaService;
const logLines: string[] = [];
/** Requests the stub received, per function name. */
const received = new Map<string, number>();

function startStub(): Promise<string> {
  stub = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(',') : (value ?? '');
      }
      const verdict = await verifySigV4(
        { method: req.method ?? 'POST', url: req.url ?? '/', headers, body },
        {
          region: REGION,
          service: 'lambda',
          lookup: (id) =>
            id === KEY.accessKeyId ? { ...KEY, accountId: '123456789012', userArn: 'arn', userId: 'id' } : undefined,
        },
      );
      const error = (status: number, type: string, message: string) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
        res.end(JSON.stringify({ Type: 'User', Message: message }));
      };
      if (!verdict.ok) return error(403, 'InvalidSignatureException', verdict.message);
      const reference = decodeURIComponent(/functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '');
      const name = reference.split(':function:').pop() ?? reference;
      received.set(name, (received.get(name) ?? 0) + 1);
      switch (name) {
        case 'orders-core':
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
          return res.end(JSON.stringify({ remote: true, event: JSON.parse(body.toString('utf8')) }));
        case 'failing-core':
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
          return res.end(JSON.stringify({ errorType: 'NotFoundError', errorMessage: 'No order 7', stackTrace: [] }));
        case 'denied-core':
          return error(403, 'AccessDeniedException', 'User is not authorized to perform: lambda:InvokeFunction');
        case 'broken-core':
          return error(500, 'ServiceException', 'internal failure');
        default:
          return error(404, 'ResourceNotFoundException', `Function not found: ${name}`);
      }
    });
  });
  return new Promise((resolve) =>
    stub.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(stub.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  for (const key of ENV_KEYS) delete process.env[key];
  writeFileSync(
    path.join(scratch, 'credentials'),
    `[dev]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n\n[wrong]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = not-the-secret\n`,
  );
  writeFileSync(
    path.join(scratch, 'config'),
    [
      `[profile dev]\nregion = ${REGION}`,
      `[profile wrong]\nregion = ${REGION}`,
      `[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = ${REGION}`,
      `[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = ${REGION}\nsso_registration_scopes = sso:account:access`,
    ].join('\n\n'),
  );
  // An SSO login from yesterday: the cached token (named by the session's SHA-1) has expired.
  const ssoCache = path.join(scratch, 'home', '.aws', 'sso', 'cache');
  mkdirSync(ssoCache, { recursive: true });
  writeFileSync(
    path.join(ssoCache, `${createHash('sha1').update('corp').digest('hex')}.json`),
    JSON.stringify({
      accessToken: 'expired-token',
      expiresAt: new Date(Date.now() - 86_400_000).toISOString(),
      region: REGION,
      startUrl: 'https://corp.awsapps.com/start',
    }),
  );
  process.env.HOME = path.join(scratch, 'home');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(scratch, 'credentials');
  process.env.AWS_CONFIG_FILE = path.join(scratch, 'config');
  // The chain's last resort is the EC2 instance metadata service: not on a laptop.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const endpoint = await startStub();
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const remote = (functionName: string, profile = 'dev', at = endpoint) => ({ functionName, profile, endpoint: at });
  service = await startLambdaService({
    credential: testCredential,
    port: 0,
    onLog: (name, _stream, line) => logLines.push(`${name}: ${line}`),
    functions: [
      { name: 'orders', remote: remote('orders-core') },
      {
        name: 'by-arn',
        remote: { ...remote(`arn:aws:lambda:${REGION}:123456789012:function:orders-core`), profile: 'dev' },
      },
      { name: 'failing', remote: remote('failing-core') },
      { name: 'denied', remote: remote('denied-core') },
      { name: 'gone', remote: remote('gone-core') },
      { name: 'broken', remote: remote('broken-core') },
      { name: 'wrong-secret', remote: remote('orders-core', 'wrong') },
      { name: 'sso-expired', remote: remote('orders-core', 'sso-dev') },
      { name: 'no-profile', remote: { ...remote('orders-core', 'nobody'), region: REGION } },
      { name: 'offline', remote: remote('orders-core', 'dev', `http://127.0.0.1:${closedPort}`) },
    ],
  });
});

afterAll(async () => {
  await service?.close();
  await new Promise<void>((resolve) => (stub ? stub.close(() => resolve()) : resolve()));
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  rmSync(scratch, { recursive: true, force: true });
});

async function invoke(name: string, event: unknown) {
  const response = await signedInvoke(service.url, name, JSON.stringify(event));
  const text = await response.text();
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    functionError: response.headers.get('x-amz-function-error'),
    json: () => JSON.parse(text),
  };
}

describe('remote functions', () => {
  it('forwards the event signed with the profile credentials and returns the answer', async () => {
    const answer = await invoke('orders', { order: 7 });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ remote: true, event: { order: 7 } });
    const byArn = await invoke('by-arn', { order: 8 });
    expect([byArn.status, byArn.errorType]).toEqual([200, null]);
    expect(byArn.json().event).toEqual({ order: 8 });
  });

  it('passes a function error through', async () => {
    const answer = await invoke('failing', {});
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.json()).toMatchObject({ errorType: 'NotFoundError', errorMessage: 'No order 7' });
  });

  it.each([
    ['denied', 403, 'AccessDeniedException', 'may not call lambda:InvokeFunction on denied-core'],
    ['gone', 404, 'ResourceNotFoundException', 'function gone-core not found'],
    ['wrong-secret', 403, 'InvalidSignatureException', 'signature'],
    ['sso-expired', 403, 'ExpiredTokenException', 'the SSO session has expired: run `aws sso login --profile sso-dev`'],
    ['no-profile', 403, 'MissingAuthenticationTokenException', 'aws configure --profile nobody'],
    ['offline', 502, 'ServiceException', 'cannot reach AWS Lambda (ECONNREFUSED)'],
  ])('%s: answers %i %s and says what to do in the dev log', async (name, status, errorType, logged) => {
    const answer = await invoke(name, {});
    expect([answer.status, answer.errorType], logLines.join('\n')).toEqual([status, errorType]);
    expect(logLines.filter((l) => l.startsWith(`${name}: remote `)).join('\n')).toContain(logged);
  });

  it('makes one attempt only: a failed call never runs the core twice', async () => {
    const answer = await invoke('broken', {});
    expect(answer.status).toBe(500);
    expect(received.get('broken-core')).toBe(1);
  });

  it.each([
    ['the credential once published in the source', PUBLISHED_CREDENTIAL, 'us-east-1', 'UnrecognizedClientException'],
    ['the local credential for another region', testCredential, 'eu-west-1', 'InvalidSignatureException'],
  ])('forwards nothing to AWS for a caller signing with %s', async (_name, credential, region, errorType) => {
    // Arrange
    const before = received.get('orders-core') ?? 0;

    // Act
    const response = await signedInvoke(service.url, 'orders', JSON.stringify({ groups: ['admins'] }), {
      credential,
      region,
    });

    // Assess
    expect([response.status, response.headers.get('x-amzn-errortype')]).toEqual([403, errorType]);
    expect(received.get('orders-core') ?? 0).toBe(before);
  });
});
