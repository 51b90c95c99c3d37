/**
 * AWS Signature Version 4 for the one request shape the edge sends: `POST` of a JSON body to the
 * Invoke path, with an optional `Qualifier` query parameter, signed with the execution role's
 * credentials from the environment (session token included).
 *
 * Why not a general signer: `aws4` was 8.2 KB of the edge's 58 KB bundle (docs/PERFORMANCE.md),
 * nearly all of it for what this request never has (query parsing, S3, presigning, host guessing),
 * and `@smithy/signature-v4` is larger still; this one is about 1 KB and as fast (≈ 15–30 µs a
 * signature either way). It derives the signing key once a day and hashes with `node:crypto`. Its
 * output is checked byte for byte against `@smithy/signature-v4`, the AWS SDK's signer, in the
 * edge's tests, and verified by the local Invoke API on every call through the stack.
 */
import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentials } from './aws-environment';

export interface InvokeRequestToSign {
  /** `host[:port]`, as sent in the `Host` header. */
  host: string;
  /** The path as sent: each segment already percent-encoded once. */
  path: string;
  qualifier: string | undefined;
  /** Lower-case names; all are signed but the trace header. */
  headers: Record<string, string>;
  body: string;
}

export interface SignedInvokeRequest {
  /** `path` plus the query string. */
  path: string;
  headers: Record<string, string>;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Sent but never signed, as the AWS SDK leaves it out: tracing may rewrite it on the way. */
const UNSIGNED = new Set(['x-amzn-trace-id']);

export class InvokeSigner {
  private signingKey: { date: string; key: Buffer } | undefined;

  constructor(
    private readonly credentials: AwsCredentials,
    private readonly region: string,
    private readonly service = 'lambda',
  ) {}

  sign(request: InvokeRequestToSign, now = new Date()): SignedInvokeRequest {
    const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
    const date = amzDate.slice(0, 8);
    const headers: Record<string, string> = {
      ...request.headers,
      host: request.host,
      'content-length': String(Buffer.byteLength(request.body)),
      'x-amz-date': amzDate,
    };
    if (this.credentials.sessionToken) headers['x-amz-security-token'] = this.credentials.sessionToken;
    const names = Object.keys(headers)
      .filter((name) => !UNSIGNED.has(name))
      .sort();
    const signedHeaders = names.join(';');
    const query = request.qualifier === undefined ? '' : `Qualifier=${encodeRfc3986(request.qualifier)}`;
    const canonicalRequest = [
      'POST',
      // Every service but S3 signs the path encoded a second time, as the AWS SDK does.
      request.path.split('/').map(encodeRfc3986).join('/'),
      query,
      ...names.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}`),
      '',
      signedHeaders,
      sha256Hex(request.body),
    ].join('\n');
    const scope = `${date}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
    const signature = createHmac('sha256', this.keyFor(date)).update(stringToSign, 'utf8').digest('hex');
    headers.authorization = `${ALGORITHM} Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return { path: query === '' ? request.path : `${request.path}?${query}`, headers };
  }

  /** The derived key changes with the date only: computed once a day rather than per request. */
  private keyFor(date: string): Buffer {
    if (this.signingKey?.date !== date) {
      let key = hmac(`AWS4${this.credentials.secretAccessKey}`, date);
      for (const part of [this.region, this.service, 'aws4_request']) key = hmac(key, part);
      this.signingKey = { date, key };
    }
    return this.signingKey.key;
  }
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

/** RFC 3986 percent-encoding, as SigV4 requires (`encodeURIComponent` leaves `!'()*` alone). */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
