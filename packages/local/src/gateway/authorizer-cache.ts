/**
 * A bounded cache with a fixed time to live: the JWT authorizer's verified tokens, and the Lambda
 * authorizer's result cache, where decisions are kept for the authorizer's TTL under the
 * identity-source values. Allows and denies are both kept, as API Gateway keeps them, so a revoked
 * key stays admitted (and a new one refused) until its entry expires. A TTL of 0 keeps nothing.
 *
 * Bounded so a flood of distinct keys cannot grow the emulator without end: expired entries are
 * dropped first, then the oldest.
 */

export const AUTHORIZER_CACHE_MAX_ENTRIES = 10_000;

export class AuthorizerCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly ttlSeconds: number) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T): void {
    if (this.ttlSeconds <= 0) return;
    const now = Date.now();
    this.entries.delete(key);
    if (this.entries.size >= AUTHORIZER_CACHE_MAX_ENTRIES) this.evict(now);
    this.entries.set(key, { value, expiresAt: now + this.ttlSeconds * 1000 });
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
    while (this.entries.size >= AUTHORIZER_CACHE_MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }
}
