/**
 * API Gateway HTTP API's request size and time limits: a payload of at most 10 MB, and a request
 * line plus headers of at most 10,240 bytes (measured on the raw bytes by head-meter.ts). Bodies
 * are read against the limit as they stream in — a declared `content-length` over it is refused
 * before a byte is read, and a chunked body is dropped the moment it crosses it — so an oversized
 * request never sits whole in memory.
 */
import type { IncomingMessage } from 'node:http';

export const REQUEST_LIMITS = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxRequestLineAndHeadersBytes: 10_240,
  /**
   * Node's own parser limit, kept above ours so our check (and its 431) decides; larger header
   * blocks are refused by Node's parser and answered the same way by the server's `clientError`.
   */
  nodeMaxHeaderSize: 64 * 1024,
} as const;

/**
 * How long a client may take to send a request. AWS documents no figure for either; a client that
 * dawdles past these gets 408 instead of holding a connection (Node's defaults are 60 s and 300 s).
 * Ten seconds for the head is generous for any real client; thirty for the whole request matches
 * the integration timeout, the longest anything else in the request may take.
 */
export const REQUEST_TIMEOUTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
} as const;

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

export function readBody(request: IncomingMessage, maxBytes: number = REQUEST_LIMITS.maxBodyBytes): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(new BodyTooLargeError(`content-length ${declared} is over ${maxBytes}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        chunks.length = 0;
        reject(new BodyTooLargeError(`the body is over ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks, size)));
    request.on('error', reject);
  });
}
