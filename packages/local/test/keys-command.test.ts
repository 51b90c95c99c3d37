import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSsmParameterClient, findApiKey, parseApiKeyRecords } from '@gatehouse/authorizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysCommand } from '../src/keys';
import { LOCAL_CREDENTIALS } from '../src/lambda';
import { type SsmEmulator, startSsmEmulator } from '../src/ssm';

describe('gatehouse keys', () => {
  let dir: string;
  let ssm: SsmEmulator;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-keys-'));
    ssm = await startSsmEmulator({ port: 0, dataFile: path.join(dir, 'ssm.json') });
    writeFileSync(path.join(dir, 'services.json'), JSON.stringify({ ssmEndpoint: ssm.url, region: 'us-east-1' }));
  });
  afterAll(async () => {
    await ssm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await keysCommand([...argv, '--local', '--state-dir', dir], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
    });
    return { code, out, err };
  }

  async function storedRecords() {
    const client = createSsmParameterClient({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SSM: ssm.url,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    return parseApiKeyRecords((await client.get('/gatehouse/api-keys')) ?? '[]');
  }

  it('issues a key once, stores only its hash, lists and revokes it', async () => {
    const added = await run('add', 'reporting', '--groups', 'analysts, admins', '--owner', 'ops@example.com');
    expect(added.code).toBe(0);
    const key = added.out[0] ?? '';
    expect(key).toMatch(/^ghk_/);
    expect(added.err.join('\n')).toMatch(/shown this once/);
    const records = await storedRecords();
    expect(findApiKey(records, key)).toMatchObject({ id: 'reporting', groups: ['analysts', 'admins'] });
    expect(JSON.stringify(records)).not.toContain(key);

    const listed = await run('list');
    expect(listed.out).toEqual([
      expect.stringMatching(/^reporting\tgroups=analysts,admins\towner=ops@example.com\tcreated=/),
    ]);

    expect((await run('revoke', 'reporting')).code).toBe(0);
    expect(await storedRecords()).toEqual([]);
    expect(await run('revoke', 'reporting')).toMatchObject({ code: 1, err: ['No key named "reporting".'] });
  });

  it('explains usage mistakes and a stack that is not running', async () => {
    expect((await run('add')).code).toBe(2);
    expect((await run('rotate')).err[0]).toMatch(/unknown command "rotate"/);
    const code = await keysCommand(['list', '--local', '--state-dir', path.join(dir, 'nowhere')], {
      out: () => {},
      err: (l) => expect(l).toMatch(/local stack is not running/),
      env: {},
    });
    expect(code).toBe(1);
  });
});
