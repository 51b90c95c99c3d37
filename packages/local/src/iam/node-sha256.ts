/**
 * SHA-256 and HMAC-SHA-256 from `node:crypto` in the shape `@smithy/signature-v4` takes (what
 * `@smithy/hash-node` provides to the SDK in Node). The pure-JS `@aws-crypto/sha256-js` costs
 * ~390 ms to hash a 6 MB Invoke body here; `node:crypto` ~21 ms.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/** What `@smithy/types` calls `SourceData`. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

export class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const secret = this.secret;
    const key =
      typeof secret === 'string'
        ? secret
        : ArrayBuffer.isView(secret)
          ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
          : Buffer.from(secret);
    return createHmac('sha256', key);
  }
}
