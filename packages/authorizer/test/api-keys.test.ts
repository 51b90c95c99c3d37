import { describe, expect, it } from 'vitest';
import { findApiKey, generateApiKey, hashApiKey, parseApiKeyRecords } from '../src/api-keys';
import { KeyStore } from '../src/key-store';
import type { SsmParameterClient } from '../src/ssm-parameter-client';

describe('API keys', () => {
  it('generates distinct, prefixed, high-entropy keys', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^ghk_[A-Za-z0-9_-]{43}$/);
  });

  it('finds a record by the hash of the presented key only', () => {
    const records = parseApiKeyRecords(
      JSON.stringify([
        { id: 'a', hash: hashApiKey('key-a'), groups: ['g'] },
        { id: 'b', hash: hashApiKey('key-b') },
      ]),
    );
    expect(findApiKey(records, 'key-b')?.id).toBe('b');
    expect(findApiKey(records, 'key-c')).toBeUndefined();
    expect(findApiKey(records, hashApiKey('key-a'))).toBeUndefined();
  });

  it.each(['{}', '[{"id":"a"}]', '[{"id":"a","hash":"md5:abc"}]', 'not json'])(
    'refuses a malformed key list %s',
    (json) => {
      expect(() => parseApiKeyRecords(json)).toThrow();
    },
  );
});

describe('KeyStore', () => {
  function memorySsm(): SsmParameterClient & { reads: number } {
    const values = new Map<string, string>();
    return {
      reads: 0,
      async get(name) {
        this.reads++;
        return values.get(name);
      },
      async put(name, value) {
        values.set(name, value);
      },
    };
  }

  it('adds a key (returning it once, storing only its hash), lists and revokes it', async () => {
    const ssm = memorySsm();
    const store = new KeyStore(ssm, '/keys', 60);
    const key = await store.add('ci-bot', { groups: ['admins'], owner: 'ops@example.com' });
    const [record] = await store.list();
    expect(record).toMatchObject({ id: 'ci-bot', hash: hashApiKey(key), groups: ['admins'], owner: 'ops@example.com' });
    expect(JSON.stringify(await store.list())).not.toContain(key);
    await expect(store.add('ci-bot')).rejects.toThrow(/exists already/);
    expect(await store.revoke('ci-bot')).toBe(true);
    expect(await store.revoke('ci-bot')).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('reads the list at most once per cache period', async () => {
    const ssm = memorySsm();
    let now = 1_000_000;
    const store = new KeyStore(ssm, '/keys', 60, () => now);
    await store.records();
    await store.records();
    expect(ssm.reads).toBe(1);
    now += 61_000;
    await store.records();
    expect(ssm.reads).toBe(2);
  });
});
