/**
 * API Gateway HTTP API's request size limits: a payload of at most 10 MB, and a request line plus
 * headers of at most 10,240 bytes. Bodies are read against the limit as they stream in — a declared
 * `content-length` over it is refused before a byte is read, and a chunked body is dropped the
 * moment it crosses it — so an oversized request never sits whole in memory.
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

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Bytes of `METHOD url HTTP/1.1\r\n` plus each `Name: value\r\n`, as they came on the wire. */
export function requestHeadSize(
  request: Pick<IncomingMessage, 'method' | 'url' | 'httpVersion' | 'rawHeaders'>,
): number {
  let size = Buffer.byteLength(`${request.method} ${request.url} HTTP/${request.httpVersion}\r\n`);
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    size += Buffer.byteLength(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}\r\n`);
  }
  return size;
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
