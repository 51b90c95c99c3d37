/**
 * Whether a request's `Host` names the local service it reached: a loopback name (`localhost`,
 * `127.0.0.1`, `[::1]`) or the address the connection came in on, with the port it came in on.
 *
 * Every local HTTP service checks this before anything else. A web page can rebind a domain name
 * it controls to 127.0.0.1 (DNS rebinding); the browser then treats the local service as that
 * page's own origin and lets the page read every answer. What the browser still sends is the
 * page's name in `Host`, so a service that answers only its own names gives the page nothing.
 * Reading the port and address from the socket needs no configuration and stays right for a
 * service on a free port or bound with `--host`.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `host` is the header's value; `port` and `address` are the connection's local end. */
export function isOwnHost(host: string | undefined, port: number, address = '127.0.0.1'): boolean {
  if (!host) return false;
  const separator = host.lastIndexOf(':');
  // `[::1]` alone has a colon inside the brackets and no port.
  if (separator === -1 || host.endsWith(']')) return port === 80 && isOwnName(host, address);
  if (host.slice(separator + 1) !== String(port)) return false;
  return isOwnName(host.slice(0, separator), address);
}

/** Whether the request's `Host` names the address and port its connection reached. */
export function requestForOwnHost(req: IncomingMessage): boolean {
  const { localPort, localAddress } = req.socket;
  if (localPort === undefined) return false;
  return isOwnHost(req.headers.host, localPort, localAddress);
}

function isOwnName(name: string, address: string | undefined): boolean {
  const lower = name.toLowerCase();
  if (LOOPBACK_NAMES.has(lower)) return true;
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return lower === (plain.includes(':') ? `[${plain.toLowerCase()}]` : plain);
}

export function foreignHostMessage(req: IncomingMessage): string {
  return `Host ${JSON.stringify(req.headers.host ?? '')} is not this local service's address.`;
}
