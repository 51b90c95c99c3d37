import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSsmParameterClient, KeyStore, SsmError } from '@gatehouse/authorizer';
import aws4 from 'aws4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SsmEmulator, startSsmEmulator } from '../src/ssm';
import { send } from './helpers/gateway-http';
import { testCredential } from './helpers/test-credential';

describe('local SSM Parameter Store', () => {
  let dir: string;
  let ssm: SsmEmulator;
  const env = () => ({
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SSM: ssm.url,
    AWS_ACCESS_KEY_ID: testCredential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: testCredential.secretAccessKey,
  });

  /** A request signed as the SDK signs it (or unsigned, or with other keys), with any extra headers. */
  const call = (
    target: string,
    body: string,
    options: {
      credentials?: { accessKeyId: string; secretAccessKey: string } | null;
      headers?: Record<string, string>;
    } = {},
  ) => {
    const url = new URL(ssm.url);
    const headers = {
      host: url.host,
      'x-amz-target': target,
      'content-type': 'application/x-amz-json-1.1',
      ...options.headers,
    };
    const signed =
      options.credentials === null
        ? { headers }
        : aws4.sign(
            { service: 'ssm', region: 'us-east-1', method: 'POST', host: headers.host, path: '/', headers, body },
            options.credentials ?? testCredential,
          );
    return send(ssm.url, {
      method: 'POST',
      // `send` writes content-length itself.
      headers: Object.entries(signed.headers ?? {})
        .filter(([k]) => k.toLowerCase() !== 'content-length')
        .map(([k, v]) => [k, String(v)] as [string, string]),
      body,
    });
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-ssm-'));
    ssm = await startSsmEmulator({
      port: 0,
      dataFile: path.join(dir, 'ssm.json'),
      credential: testCredential,
      region: 'us-east-1',
    });
  });
  afterAll(async () => {
    await ssm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the real SSM client: put, get, missing parameter', async () => {
    const client = createSsmParameterClient(env());
    expect(await client.get('/gatehouse/none')).toBeUndefined();
    await client.put('/gatehouse/value', 'one');
    await client.put('/gatehouse/value', 'two');
    expect(await client.get('/gatehouse/value')).toBe('two');
  });

  it('keeps parameters across a restart', async () => {
    const client = createSsmParameterClient(env());
    await client.put('/gatehouse/kept', 'yes');
    await ssm.close();
    ssm = await startSsmEmulator({
      port: 0,
      dataFile: path.join(dir, 'ssm.json'),
      credential: testCredential,
      region: 'us-east-1',
    });
    expect(await createSsmParameterClient(env()).get('/gatehouse/kept')).toBe('yes');
  });

  it('lets a key store issue and revoke keys with no deploy', async () => {
    const store = new KeyStore(createSsmParameterClient(env()), '/gatehouse/api-keys', 0);
    const key = await store.add('reporting', { groups: ['analysts'] });
    expect((await store.records()).map((r) => r.id)).toEqual(['reporting']);
    expect(key).toMatch(/^ghk_/);
    await store.revoke('reporting');
    expect(await store.records()).toEqual([]);
  });

  it('answers unknown operations and bad input with AWS-style errors', async () => {
    const unknown = await call('AmazonSSM.GetParametersByPath', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const malformed = await call('AmazonSSM.GetParameter', 'not json');
    expect(malformed.json()).toMatchObject({ __type: 'SerializationException' });
    const error = await createSsmParameterClient(env())
      .put('', 'x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsmError);
  });

  it.each([
    ['unsigned', { credentials: null }, 'MissingAuthenticationTokenException'],
    [
      'signed with other keys',
      { credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' } },
      'UnrecognizedClientException',
    ],
    [
      'signed with the right key id but another secret',
      { credentials: { accessKeyId: testCredential.accessKeyId, secretAccessKey: 'guessed' } },
      'InvalidSignatureException',
    ],
    ['sent by a web page (Origin)', { headers: { origin: 'https://evil.example' } }, 'AccessDeniedException'],
    ['addressed to a rebound domain name (Host)', { headers: { host: 'evil.example' } }, 'AccessDeniedException'],
  ] as const)('refuses a PutParameter %s with 403, storing nothing', async (_name, options, type) => {
    // Act
    const res = await call(
      'AmazonSSM.PutParameter',
      JSON.stringify({ Name: '/gatehouse/api-keys', Value: '[{"id":"evil"}]', Overwrite: true }),
      options,
    );
    // Assess
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ __type: type });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await createSsmParameterClient(env()).get('/gatehouse/api-keys')).not.toContain('evil');
  });

  it('answers a browser preflight with no CORS allow headers', async () => {
    // Act
    const res = await fetch(ssm.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    // Assess
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});
