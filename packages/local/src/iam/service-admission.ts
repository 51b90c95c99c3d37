/**
 * Who may call the local stack's AWS-shaped endpoints — the Lambda Invoke API and the Parameter
 * Store — that run code and hold keys: only a caller holding the local credential, as on AWS.
 *
 * Listening on loopback is not enough: any web page open in the developer's browser can send a
 * `text/plain` POST to 127.0.0.1, or rebind its own domain name to it. So a request is refused when
 * it carries an `Origin` (every browser sends one on a cross-origin or page-made POST; the SDKs and
 * `aws4` never do), when its `Host` is a domain name other than `localhost` (DNS rebinding), and
 * unless it bears a valid SigV4 signature by a local credential. A browser cannot send the
 * `Authorization` header without a CORS preflight, which these endpoints never allow.
 *
 * What a verification costs is measured by `npm run bench -- local-admission` (docs/PERFORMANCE.md).
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { type LocalCredential, verifySigV4 } from './sigv4-verifier';

export interface AdmissionRefusal {
  status: 403;
  /** The AWS error type the service answers with. */
  errorType: string;
  message: string;
}

export interface ServiceAdmission {
  /** The SigV4 service name callers sign for (`lambda`, `ssm`). */
  service: string;
  /** Secret access keys the endpoint accepts. */
  credentials: readonly { accessKeyId: string; secretAccessKey: string }[];
}

/** The checks that need no body: called first, so a browser's request is never read or run. */
export function refuseBeforeBody(req: IncomingMessage): AdmissionRefusal | undefined {
  if (req.headers.origin !== undefined) {
    return denied('Requests from web pages are not accepted by this local endpoint.');
  }
  if (!isLocalHost(req.headers.host)) {
    return denied(`Host ${JSON.stringify(req.headers.host ?? '')} is not a local address.`);
  }
  if (req.headers.authorization === undefined) {
    return { status: 403, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  }
  return undefined;
}

/** Verifies the request's SigV4 signature over its body. */
export async function verifyServiceSignature(
  req: IncomingMessage,
  body: Buffer,
  admission: ServiceAdmission,
): Promise<AdmissionRefusal | undefined> {
  const result = await verifySigV4(
    { method: req.method ?? 'POST', url: req.url ?? '/', headers: joinedHeaders(req.rawHeaders), body },
    { service: admission.service, region: undefined, escapeSentPath: true, lookup: (id) => lookup(admission, id) },
  );
  return result.ok ? undefined : { status: 403, errorType: result.errorType, message: result.message };
}

function lookup(admission: ServiceAdmission, accessKeyId: string): LocalCredential | undefined {
  const credential = admission.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) return undefined;
  return { ...credential, accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:user/local', userId: 'local' };
}

/** An IP literal cannot be rebound; `localhost` and its subdomains resolve to loopback by RFC 6761. */
function isLocalHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  return isIP(name) !== 0 || lower === 'localhost' || lower.endsWith('.localhost');
}

function joinedHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

function denied(message: string): AdmissionRefusal {
  return { status: 403, errorType: 'AccessDeniedException', message };
}
