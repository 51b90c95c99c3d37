/**
 * Who may call the local stack's AWS-shaped endpoints — the Lambda Invoke API and the Parameter
 * Store — that run code and hold keys: only a caller holding the local credential, as on AWS.
 *
 * Listening on loopback is not enough: any web page open in the developer's browser can send a
 * `text/plain` POST to 127.0.0.1, or rebind its own domain name to it. So a request is refused when
 * it carries an `Origin` (every browser sends one on a cross-origin or page-made POST; the SDKs and
 * `aws4` never do), when its `Host` is not a loopback name with this endpoint's port (DNS
 * rebinding; net/own-host.ts), and
 * unless it bears a valid SigV4 signature by a local credential. A browser cannot send the
 * `Authorization` header without a CORS preflight, which these endpoints never allow.
 *
 * What a verification costs is measured by `npm run bench -- local-admission` (docs/PERFORMANCE.md).
 */
import type { IncomingMessage } from 'node:http';
import { foreignHostMessage, requestForOwnHost } from '../net/own-host';
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
  /** The endpoint's region: a signature scoped to any other is refused, as AWS refuses it. */
  region: string;
  /** Secret access keys the endpoint accepts. */
  credentials: readonly { accessKeyId: string; secretAccessKey: string }[];
}

/** The checks that need no body: called first, so a browser's request is never read or run. */
export function refuseBeforeBody(req: IncomingMessage): AdmissionRefusal | undefined {
  if (req.headers.origin !== undefined) {
    return denied('Requests from web pages are not accepted by this local endpoint.');
  }
  if (!requestForOwnHost(req)) return denied(foreignHostMessage(req));
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
    {
      service: admission.service,
      region: admission.region,
      escapeSentPath: true,
      lookup: (id) => lookup(admission, id),
    },
  );
  return result.ok ? undefined : { status: 403, errorType: result.errorType, message: result.message };
}

function lookup(admission: ServiceAdmission, accessKeyId: string): LocalCredential | undefined {
  const credential = admission.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) return undefined;
  return { ...credential, accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:user/local', userId: 'local' };
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
