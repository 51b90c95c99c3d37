/**
 * Origins that are not the allowed one but look like it: suffixes, prefixes, another scheme or
 * port, other case, `null`, a trailing slash, userinfo, other spellings of the same address,
 * lists and bytes a browser never sends. Each must be refused by every CORS check, byte for byte:
 * a browser serialises an origin one way only, so anything else is someone else.
 */
import type { RawValue } from '@gatehouse/testing';

export interface ForeignOrigin {
  name: string;
  /** The `Origin` header value as sent. */
  origin: RawValue;
}

/** `allowed` is one exact allowed origin, e.g. `http://127.0.0.1:5173`. */
export function foreignOrigins(allowed: string): ForeignOrigin[] {
  const url = new URL(allowed);
  const { protocol, hostname, port } = url;
  const host = url.host;
  const otherScheme = protocol === 'http:' ? 'https:' : 'http:';
  const otherPort = String(Number(port || (protocol === 'http:' ? 80 : 443)) + 1);
  const cases: [string, RawValue][] = [
    ['suffix: another domain', `${allowed}.evil.com`],
    ['suffix: longer port', `${allowed}0`],
    ['suffix: path', `${allowed}/evil`],
    ['suffix: trailing slash', `${allowed}/`],
    ['suffix: query', `${allowed}?x=1`],
    ['suffix: fragment', `${allowed}#x`],
    ['suffix: trailing dot on the host', `${protocol}//${hostname}.:${port}`],
    ['prefix: subdomain-like', `${protocol}//evil${hostname}:${port}`],
    ['prefix: evil. before the host', `${protocol}//evil.${hostname}:${port}`],
    ['prefix: allowed origin inside a path', `https://evil.com/${allowed}`],
    ['scheme: other', `${otherScheme}//${host}`],
    ['scheme: upper case', `${protocol.toUpperCase()}//${host}`],
    ['scheme: ws', `ws://${host}`],
    ['scheme: file', 'file://'],
    ['scheme: extension', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'],
    ['port: next one', `${protocol}//${hostname}:${otherPort}`],
    ['port: none', `${protocol}//${hostname}`],
    ['port: leading zero', `${protocol}//${hostname}:0${port}`],
    ['case: host', `${protocol}//${hostname.toUpperCase()}:${port}`],
    ['case: whole origin', allowed.toUpperCase()],
    ['null', 'null'],
    ['Null', 'Null'],
    ['star', '*'],
    ['userinfo: evil@allowed', `${protocol}//evil.com@${host}`],
    ['userinfo: allowed@evil', `${protocol}//${host}@evil.com`],
    ['address: 127.1', `${protocol}//127.1:${port}`],
    ['address: decimal', `${protocol}//2130706433:${port}`],
    ['address: hex', `${protocol}//0x7f.0.0.1:${port}`],
    ['address: IPv6-mapped', `${protocol}//[::ffff:127.0.0.1]:${port}`],
    [
      'address: localhost for 127.0.0.1 (or back)',
      `${protocol}//${hostname === 'localhost' ? '127.0.0.1' : 'localhost'}:${otherPort}`,
    ],
    ['list: allowed, evil', `${allowed}, https://evil.com`],
    ['list: evil allowed', `https://evil.com ${allowed}`],
    ['bytes: NBSP before', Buffer.concat([Buffer.from([0xa0]), Buffer.from(allowed)])],
    ['bytes: UTF-8 after', `${allowed}\u2024`],
    ['bytes: fullwidth colon', allowed.replace('://', '：//')],
    ['bytes: IDN homograph', allowed.replace(hostname, hostname.replace(/[o0]/, 'о'))],
  ];
  // A case that spells the allowed origin itself (no letters to change case on) is no attack.
  return cases.filter(([, origin]) => origin !== allowed).map(([name, origin]) => ({ name, origin }));
}
