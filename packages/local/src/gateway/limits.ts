/**
 * API Gateway HTTP API's request size and time limits: a payload of at most 10 MB, and a request
 * line plus headers of at most 10,240 bytes (measured on the raw bytes by head-meter.ts). Bodies
 * are read against the limit as they stream in — a declared `content-length` over it is refused
 * before a byte is read, and a chunked body is dropped the moment it crosses it — so an oversized
 * request never sits whole in memory (`net/read-body.ts`).
 */

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
