/**
 * Verifies AWS Signature Version 4 on a request to a local service: the gateway's routes with
 * AWS_IAM authorization (service `execute-api`), and the local Invoke API and Parameter Store
 * (`lambda`, `ssm`), which refuse unsigned callers. The caller signed with an access key the local
 * stack knows, for the service, in the expected region (any, when none is given), within five
 * minutes of now.
 *
 * The signature is recomputed with `@smithy/signature-v4` — the signer the AWS SDK itself uses —
 * over exactly the headers the caller listed, and compared in constant time. Nothing here is a
 * hand-written canonicalisation.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256';

export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent (`/prod/inference?x=1`). */
  url: string;
  /** Lower-cased header names, repeated headers joined with commas. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface LocalCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** What API Gateway puts in `requestContext.authorizer.iam` for this caller. */
  accountId: string;
  userArn: string;
  userId: string;
}

export type SigV4Result =
  | { ok: true; credential: LocalCredential }
  /** `errorType` is the AWS type a service answers with (`InvalidSignatureException`, …). */
  | { ok: false; status: 403; message: string; errorType: string };

export interface SigV4Options {
  /** The region the credential scope must name; undefined accepts the one the caller signed for. */
  region: string | undefined;
  lookup(accessKeyId: string): LocalCredential | undefined;
  /** Default `execute-api`. */
  service?: string;
  /**
   * The canonical path is the path as sent, escaped once more, as AWS services other than S3 and
   * their SDKs sign it (`arn%3A…` becomes `arn%253A…`); default: the decoded path escaped once.
   */
  escapeSentPath?: boolean;
  now?: number;
}

const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

export async function verifySigV4(request: SignedRequest, options: SigV4Options): Promise<SigV4Result> {
  const expectedService = options.service ?? 'execute-api';
  const header = request.headers.authorization;
  if (!header) return refuse('Missing Authentication Token', 'MissingAuthenticationTokenException');
  const match = AUTHORIZATION.exec(header.trim());
  if (!match)
    return refuse(
      'Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256).',
      'IncompleteSignatureException',
    );
  const [, accessKeyId = '', shortDate, region = '', service, signedHeaderList = '', signature = ''] = match;
  if (service !== expectedService)
    return refuse(`Credential should be scoped to correct service: '${expectedService}'.`);
  if (options.region !== undefined && region !== options.region) {
    return refuse(`Credential should be scoped to a valid region: '${options.region}'.`);
  }

  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) return refuse("'Host' must be a signed header.");
  const amzDate = request.headers['x-amz-date'];
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!signingDate || !signedHeaders.includes('x-amz-date')) return refuse("'X-Amz-Date' must be present and signed.");
  if (amzDate?.slice(0, 8) !== shortDate) return refuse('Credential date does not match X-Amz-Date.');
  if (Math.abs((options.now ?? Date.now()) - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return refuse('Signature expired: the request was signed more than 5 minutes from now.');
  }

  const claimedBodyHash = request.headers['x-amz-content-sha256'];
  if (claimedBodyHash !== undefined && claimedBodyHash !== createHash('sha256').update(request.body).digest('hex')) {
    return refuse('The provided x-amz-content-sha256 header does not match what was computed.');
  }

  const credential = options.lookup(accessKeyId);
  if (!credential)
    return refuse('The security token included in the request is invalid.', 'UnrecognizedClientException');

  const expected = await expectedSignature(request, signedHeaders, signingDate, credential, {
    region,
    service: expectedService,
    // Lambda's and SSM's canonical path is the sent path encoded again (an ARN's `:` sent as `%3A`
    // is signed as `%253A`); API Gateway's is the decoded path.
    escapeSentPath: options.escapeSentPath ?? expectedService !== 'execute-api',
  });
  if (expected === undefined) return refuse('A signed header is missing from the request.');
  const valid = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!valid) {
    return refuse(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return { ok: true, credential };
}

async function expectedSignature(
  request: SignedRequest,
  signedHeaders: string[],
  signingDate: Date,
  credential: LocalCredential,
  scope: { region: string; service: string; escapeSentPath: boolean },
): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return undefined;
    headers[name] = value;
  }
  const url = new URL(request.url, 'http://placeholder');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const sessionToken = signedHeaders.includes('x-amz-security-token') ? headers['x-amz-security-token'] : undefined;
  const signer = signerFor(credential, sessionToken, scope);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: scope.escapeSentPath ? url.pathname : decodeURIComponent(url.pathname),
      query,
      headers,
      body: request.body.length > 0 ? request.body : undefined,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  return /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
}

/**
 * Signers are kept per credential, session token and scope: building one per request cost more
 * than the verification itself, and each keeps the signing keys it derived.
 */
const signers = new Map<string, SignatureV4>();
const MAX_SIGNERS = 64;

function signerFor(
  credential: LocalCredential,
  sessionToken: string | undefined,
  scope: { region: string; service: string },
): SignatureV4 {
  const key = [
    credential.accessKeyId,
    credential.secretAccessKey,
    sessionToken ?? '',
    scope.region,
    scope.service,
  ].join('\0');
  let signer = signers.get(key);
  if (!signer) {
    if (signers.size >= MAX_SIGNERS) signers.clear();
    signer = new SignatureV4({
      service: scope.service,
      region: scope.region,
      sha256: NodeSha256,
      applyChecksum: false,
      credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, sessionToken },
    });
    signers.set(key, signer);
  }
  return signer;
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0));
}

function refuse(message: string, errorType = 'InvalidSignatureException'): SigV4Result {
  return { ok: false, status: 403, message, errorType };
}
