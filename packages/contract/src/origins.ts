/**
 * Allowed-origin lists, parsed and matched the way API Gateway HTTP API CORS does, so the edge, the
 * local gateway and the CDK construct accept exactly the same entries:
 * exact origins (`https://app.example.com`) and scheme prefixes (`https://*`, `http://*`).
 *
 * A bare `*` is refused here on purpose: gatehouse never falls back to "any origin".
 */

export type OriginRule = { kind: 'exact'; origin: string } | { kind: 'scheme'; scheme: 'http:' | 'https:' };

export class OriginListError extends Error {
  override name = 'OriginListError';
}

/**
 * @example
 * parseAllowedOrigins('https://app.example.com, http://localhost:5173')
 */
export function parseAllowedOrigins(list: string | readonly string[]): OriginRule[] {
  const entries = (typeof list === 'string' ? list.split(',') : list).map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) throw new OriginListError('the list of allowed origins is empty');
  return entries.map(parseOriginEntry);
}

function parseOriginEntry(entry: string): OriginRule {
  if (entry === '*') {
    throw new OriginListError('"*" is not accepted: list the origins of your web app (e.g. https://app.example.com)');
  }
  if (entry === 'https://*' || entry === 'http://*') {
    return { kind: 'scheme', scheme: entry === 'https://*' ? 'https:' : 'http:' };
  }
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new OriginListError(
      `"${entry}" is not an origin (expected scheme://host[:port], e.g. https://app.example.com)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OriginListError(`"${entry}" is not an http(s) origin`);
  }
  if (url.origin !== entry) {
    throw new OriginListError(
      `"${entry}" is not a bare origin: write it as "${url.origin}" (no path, no trailing slash, lower case)`,
    );
  }
  return { kind: 'exact', origin: url.origin };
}

/** Whether an `Origin` header value is allowed. A missing, `null` or malformed origin never is. */
export function isOriginAllowed(rules: readonly OriginRule[], origin: string | undefined): boolean {
  if (!origin || origin === 'null') return false;
  for (const rule of rules) {
    if (
      rule.kind === 'exact' ? rule.origin === origin : origin.startsWith(`${rule.scheme}//`) && isOriginShaped(origin)
    ) {
      return true;
    }
  }
  return false;
}

function isOriginShaped(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/** The list back in the comma-separated form `ALLOWED_ORIGINS` takes. */
export function formatAllowedOrigins(rules: readonly OriginRule[]): string {
  return rules.map((r) => (r.kind === 'exact' ? r.origin : `${r.scheme}//*`)).join(',');
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The exact origins of a list that a page on this machine serves (`http://localhost:5173`,
 * `http://127.0.0.1:8080`): the ones a local stack admits from the project's deployed list.
 * Scheme prefixes and remote origins are left out — a local service never admits a page it
 * cannot name.
 *
 * @example
 * loopbackOrigins(['https://app.example.com', 'http://localhost:5173']) // → ['http://localhost:5173']
 */
export function loopbackOrigins(list: readonly string[]): string[] {
  return list.filter((entry) => {
    try {
      const url = new URL(entry);
      return url.origin === entry && LOOPBACK_HOSTS.has(url.hostname);
    } catch {
      return false;
    }
  });
}
