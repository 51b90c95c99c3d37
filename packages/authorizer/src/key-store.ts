/**
 * The list of issued API keys, kept as one SSM SecureString parameter of hashed records. The
 * authorizer reads it at most once per cache period per container, so a key added or revoked with
 * `gatehouse keys` takes effect within that period (plus API Gateway's own result cache) and
 * without a deploy.
 */
import { type ApiKeyRecord, generateApiKey, hashApiKey, parseApiKeyRecords } from './api-keys';
import type { SsmParameterClient } from './ssm-parameter-client';

export class KeyStore {
  private cached: { records: ApiKeyRecord[]; until: number } | undefined;

  constructor(
    private readonly ssm: SsmParameterClient,
    private readonly parameterName: string,
    private readonly cacheSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async records(): Promise<ApiKeyRecord[]> {
    if (this.cached && this.now() < this.cached.until) return this.cached.records;
    const records = await this.read();
    this.cached = { records, until: this.now() + this.cacheSeconds * 1000 };
    return records;
  }

  /** Issues a new key and returns it: the only time the key itself is ever seen. */
  async add(id: string, options: { groups?: string[]; owner?: string } = {}): Promise<string> {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id))
      throw new Error('a key id is 1–64 letters, digits, dots, dashes or underscores');
    const records = await this.read();
    if (records.some((r) => r.id === id)) throw new Error(`a key named "${id}" exists already; revoke it first`);
    const key = generateApiKey();
    records.push({
      id,
      hash: hashApiKey(key),
      groups: options.groups ?? [],
      owner: options.owner ?? null,
      createdAt: new Date(this.now()).toISOString(),
    });
    await this.write(records);
    return key;
  }

  /** Removes a key; returns false when there was none of that name. */
  async revoke(id: string): Promise<boolean> {
    const records = await this.read();
    const kept = records.filter((r) => r.id !== id);
    if (kept.length === records.length) return false;
    await this.write(kept);
    return true;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.read();
  }

  private async read(): Promise<ApiKeyRecord[]> {
    const json = await this.ssm.get(this.parameterName);
    return json === undefined ? [] : parseApiKeyRecords(json);
  }

  private async write(records: ApiKeyRecord[]): Promise<void> {
    await this.ssm.put(this.parameterName, JSON.stringify(records));
    this.cached = undefined;
  }
}
