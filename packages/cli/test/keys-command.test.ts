import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSsmParameterClient, findApiKey, parseApiKeyRecords } from '@gatehouse/authorizer';
import { type LocalCredential, loadLocalCredential, type SsmEmulator, startSsmEmulator } from '@gatehouse/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { keysCommand } from '../src/keys';

describe('gatehouse keys', () => {
  let dir: string;
  let ssm: SsmEmulator;
  let credential: LocalCredential;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-keys-'));
    credential = loadLocalCredential(dir);
    ssm = await startSsmEmulator({ port: 0, dataFile: path.join(dir, 'ssm.json'), credential, region: 'us-east-1' });
    writeFileSync(
      path.join(dir, 'services.json'),
      JSON.stringify({ ssmEndpoint: ssm.url, region: 'us-east-1', authMode: 'lambda', lambda: { kind: 'api-key' } }),
    );
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
      AWS_ACCESS_KEY_ID: credential.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
    });
    return parseApiKeyRecords((await client.get('/gatehouse/api-keys')) ?? '[]');
  }

  it('warns when the local stack runs a mode that never reads API keys, and not when it does', async () => {
    // Prepare
    const services = (auth: object) =>
      writeFileSync(
        path.join(dir, 'services.json'),
        JSON.stringify({ ssmEndpoint: ssm.url, region: 'us-east-1', ...auth }),
      );

    // Act
    services({ authMode: 'cognito' });
    const cognito = await run('add', 'unread');
    services({ authMode: 'lambda', lambda: { kind: 'api-key' } });
    const apiKeys = await run('add', 'read');

    // Assess
    expect(cognito.code).toBe(0);
    expect(cognito.err.join('\n')).toContain('the local stack runs auth cognito, which never reads API keys');
    expect(apiKeys.err.join('\n')).not.toContain('never reads API keys');
    await run('revoke', 'unread');
    await run('revoke', 'read');
  });

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

  it('explains usage mistakes with the usage and exit status 2, and a stack that is not running', async () => {
    // Prepare
    const io = () => {
      const err: string[] = [];
      return { err, io: { out: () => {}, err: (l: string) => err.push(l), env: {} } };
    };
    const [noId, unknown, stopped] = [io(), io(), io()];

    // Act
    const codes = [
      await main(['keys', 'add', '--local', '--state-dir', dir], noId.io),
      await main(['keys', 'rotate', '--local', '--state-dir', dir], unknown.io),
      await main(['keys', 'list', '--local', '--state-dir', path.join(dir, 'nowhere')], stopped.io),
    ];

    // Assess
    expect(codes).toEqual([2, 2, 1]);
    expect(noId.err.join('\n')).toMatch(/^gatehouse keys: add needs a key id[\s\S]*Usage: gatehouse keys/);
    expect(unknown.err.join('\n')).toMatch(/unknown command "rotate"/);
    expect(stopped.err.join('\n')).toMatch(/local stack is not running .*start it with npx gatehouse dev/);
  });

  it('without --local and without a region, says to set one or to use the local stack', async () => {
    const err: string[] = [];
    const code = await main(['keys', 'list'], { out: () => {}, err: (l) => err.push(l), env: {} });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain(
      "no AWS region for the deployed API's keys: set AWS_REGION or pass --region (e.g. --region eu-west-1), or add --local",
    );
  });

  it('finds the local stack through GATEHOUSE_STATE_DIR when --state-dir is not given', async () => {
    const out: string[] = [];
    const code = await main(['keys', 'list', '--local'], {
      out: (l) => out.push(l),
      err: () => {},
      env: { GATEHOUSE_STATE_DIR: dir },
    });
    expect(code).toBe(0);
    expect(out).toEqual(['No keys issued.']);
  });
});
