/**
 * Who the local Invoke API runs functions for: callers signing with the local credential (the
 * edge, through the standard endpoint override; the gateway; the SDK or CLI with those keys), never
 * a web page. See iam/service-admission.ts for the checks and why each exists.
 */
import type { IncomingMessage } from 'node:http';
import { type AdmissionRefusal, type LocalKeys, refuseBeforeBody, verifyServiceSignature } from '../iam';

/** Before the body is read: no browser, a local Host, an Authorization header. */
export function refuseInvokeBeforeBody(req: IncomingMessage): AdmissionRefusal | undefined {
  return refuseBeforeBody(req);
}

/** Once the body is read: a SigV4 signature for `lambda` in the service's region by the local credential. */
export function verifyInvokeSignature(
  req: IncomingMessage,
  body: Buffer,
  credential: LocalKeys,
  region: string,
): Promise<AdmissionRefusal | undefined> {
  return verifyServiceSignature(req, body, { service: 'lambda', region, credentials: [credential] });
}
