/**
 * API keys: generated with enough entropy to be unguessable, stored only as SHA-256 hashes, and
 * compared in constant time so the authorizer's timing says nothing about how close a guess was.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** One issued key as stored (never the key itself). */
export interface ApiKeyRecord {
  /** Stable, human-chosen name: `ci-bot`, `reporting-service`. */
  id: string;
  /** `sha256:<hex>` of the key. */
  hash: string;
  /** Groups the caller is treated as a member of, as a Cognito user would be. */
  groups: string[];
  /** Who holds the key (an email or team), shown to the core as `email`. */
  owner: string | null;
  createdAt: string;
}

const KEY_PREFIX = 'ghk_';

/** A new key: `ghk_` + 32 random bytes, base64url. Shown once, then only its hash is kept. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/**
 * Finds the record whose hash matches the presented key. Every record is compared, matched or
 * not, so the time taken does not depend on which record (if any) matched.
 */
export function findApiKey(records: readonly ApiKeyRecord[], presented: string): ApiKeyRecord | undefined {
  const presentedHash = Buffer.from(hashApiKey(presented));
  let found: ApiKeyRecord | undefined;
  for (const record of records) {
    const stored = Buffer.from(record.hash);
    if (stored.length === presentedHash.length && timingSafeEqual(stored, presentedHash) && !found) found = record;
  }
  return found;
}

/** Reads the stored list, refusing anything that is not exactly a list of records. */
export function parseApiKeyRecords(json: string): ApiKeyRecord[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new Error('the key list must be a JSON array');
  return value.map((item, index) => {
    const r = item as Partial<ApiKeyRecord>;
    if (typeof r.id !== 'string' || typeof r.hash !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(r.hash)) {
      throw new Error(`key record ${index} needs an "id" and a "hash" of the form sha256:<64 hex digits>`);
    }
    return {
      id: r.id,
      hash: r.hash,
      groups: Array.isArray(r.groups) ? r.groups.filter((g): g is string => typeof g === 'string') : [],
      owner: typeof r.owner === 'string' ? r.owner : null,
      createdAt: typeof r.createdAt === 'string' ? r.createdAt : '',
    };
  });
}
