/**
 * A plain `node:http` client for gateway tests: sends headers exactly as given (repeats, `Origin`,
 * cookies) and returns status, lower-cased headers (repeats kept) and the body.
 */
import http, { type IncomingHttpHeaders } from 'node:http';

export interface SendOptions {
  method?: string;
  /** Name/value pairs, sent in order; a name may repeat. */
  headers?: [string, string][];
  body?: string | Buffer;
  /** Sends the body with `transfer-encoding: chunked` (no `content-length`). */
  chunked?: boolean;
}

export interface Received {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

export function send(url: string, options: SendOptions = {}): Promise<Received> {
  const given = options.headers ?? [];
  // With headers given as a list, Node adds no `Host` of its own; HTTP/1.1 requires one.
  const flat = given.some(([name]) => name.toLowerCase() === 'host')
    ? given.flat()
    : ['host', new URL(url).host, ...given.flat()];
  if (options.body !== undefined && !options.chunked) {
    flat.push('content-length', String(Buffer.byteLength(options.body)));
  }
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: flat, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}
