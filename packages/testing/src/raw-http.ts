/**
 * One HTTP/1.1 exchange over a raw TCP socket, every byte of the request chosen by the caller:
 * the attack and fuzz suites send what `node:http` refuses to send (control characters, bytes
 * over 0x7f in a header, `..` in a path, repeated `Host` or `Content-Length`, a bare NBSP).
 * The request carries `connection: close`, so the answer is whatever arrives before the server
 * closes.
 */
import net from 'node:net';

/** A header value as text (sent as UTF-8) or as exact bytes. */
export type RawValue = string | Buffer;

export interface RawRequest {
  method: string;
  /** The request target exactly as it goes on the wire (`/prod/inference`, `*`, `//x/../y`). */
  target: string;
  /** Sent in order, repeats kept; `host` and `connection: close` are added unless given. */
  headers: [string, RawValue][];
  body?: Buffer;
}

export interface RawResponse {
  /** 0 when the server closed without a status line. */
  status: number;
  /** Lower-case names; a repeated header keeps every value. */
  headers: Record<string, string[]>;
  body: string;
}

export function encodeRequest(port: number, request: RawRequest): Buffer {
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const headers: [string, RawValue][] = [
    ...(names.has('host') ? [] : [['host', `127.0.0.1:${port}`] as [string, RawValue]]),
    ...request.headers,
    ...(names.has('connection') ? [] : [['connection', 'close'] as [string, RawValue]]),
  ];
  const parts: Buffer[] = [Buffer.from(`${request.method} ${request.target} HTTP/1.1\r\n`)];
  for (const [name, value] of headers) {
    parts.push(Buffer.from(`${name}: `), typeof value === 'string' ? Buffer.from(value) : value, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('\r\n'));
  if (request.body) parts.push(request.body);
  return Buffer.concat(parts);
}

/** Sends the request and reads until the server closes, bounded by `timeoutMs`. */
export function rawRequest(port: number, request: RawRequest, timeoutMs = 35_000): Promise<RawResponse> {
  const bytes = encodeRequest(port, request);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${request.method} ${request.target}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => {
      // A server that refuses a request may reset the connection; what it answered is already read.
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(received)));
    });
    // Writing without ending: a half-closed client makes Node's server drop an answer still in flight.
    socket.on('connect', () => socket.write(bytes));
  });
}

export function parseResponse(received: Buffer): RawResponse {
  const raw = withoutInterim(received);
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = headers[name] ?? [];
    values.push(line.slice(colon + 1).trim());
    headers[name] = values;
  }
  const body = end === -1 ? Buffer.alloc(0) : raw.subarray(end + 4);
  const chunked = headers['transfer-encoding']?.some((v) => v.toLowerCase() === 'chunked') ?? false;
  return {
    status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0),
    headers,
    body: (chunked ? dechunk(body) : body).toString('utf8'),
  };
}

/** Drops `100 Continue` and other 1xx heads that precede the final answer. */
function withoutInterim(raw: Buffer): Buffer {
  let rest = raw;
  for (let rounds = 0; rounds < 16 && /^HTTP\/1\.[01] 1\d\d /.test(rest.subarray(0, 16).toString('latin1')); rounds++) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) break;
    rest = rest.subarray(end + 4);
  }
  return rest;
}

function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  // Each round consumes one chunk, so a body of n bytes ends within n rounds.
  for (let rounds = 0; rounds <= body.length && at < body.length; rounds++) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}
