/**
 * Whether a request's `Host` names the local service it reached: a loopback name (`localhost`,
 * `127.0.0.1`, `[::1]`) or the address the service was bound to, with the service's own port.
 *
 * Every local HTTP service checks this before anything else. A web page can rebind a domain name
 * it controls to 127.0.0.1 (DNS rebinding); the browser then treats the local service as that
 * page's own origin and lets the page read every answer. What the browser still sends is the
 * page's name in `Host`, so a service that answers only its own names gives the page nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isOwnHost(host: string | undefined, port: number, boundHost = '127.0.0.1'): boolean {
  if (!host) return false;
  const separator = host.lastIndexOf(':');
  // `[::1]` alone has a colon inside the brackets and no port.
  if (separator === -1 || host.endsWith(']')) return port === 80 && isOwnName(host, boundHost);
  if (host.slice(separator + 1) !== String(port)) return false;
  return isOwnName(host.slice(0, separator), boundHost);
}

function isOwnName(name: string, boundHost: string): boolean {
  const lower = name.toLowerCase();
  if (LOOPBACK_NAMES.has(lower)) return true;
  const bound = boundHost.includes(':') ? `[${boundHost.toLowerCase()}]` : boundHost.toLowerCase();
  // A wildcard bind answers on every address; its own name is still only loopback's.
  return bound !== '0.0.0.0' && bound !== '[::]' && lower === bound;
}

/**
 * Answers 403 (JSON, no CORS headers) to a request for another name and says so; `true` when the
 * request was refused and answered.
 */
export function refuseForeignHost(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  boundHost?: string,
  body: (message: string) => unknown = (message) => ({ message }),
): boolean {
  if (isOwnHost(req.headers.host, port, boundHost)) return false;
  const message = `Host ${JSON.stringify(req.headers.host ?? '')} is not this local service's address.`;
  const text = JSON.stringify(body(message));
  res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  req.resume();
  return true;
}
