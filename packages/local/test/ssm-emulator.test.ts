import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSsmParameterClient, KeyStore, SsmError } from '@gatehouse/authorizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SsmEmulator, startSsmEmulator } from '../src/ssm';

describe('local SSM Parameter Store', () => {
  let dir: string;
  let ssm: SsmEmulator;
  const env = () => ({
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SSM: ssm.url,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-ssm-'));
    ssm = await startSsmEmulator({ port: 0, dataFile: path.join(dir, 'ssm.json') });
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
    ssm = await startSsmEmulator({ port: 0, dataFile: path.join(dir, 'ssm.json') });
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
    const unknown = await fetch(ssm.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSSM.GetParametersByPath', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const malformed = await fetch(ssm.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSSM.GetParameter' },
      body: 'not json',
    });
    expect(await malformed.json()).toMatchObject({ __type: 'SerializationException' });
    const error = await createSsmParameterClient(env())
      .put('', 'x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsmError);
  });
});
