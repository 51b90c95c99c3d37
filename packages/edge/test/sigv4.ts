/**
 * Checks a received request's SigV4 signature with `@smithy/signature-v4` — the signer the AWS SDK
 * uses — so the edge's `aws4` signing is verified by an independent implementation, not by itself.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ReceivedRequest } from './helpers';

export interface SignatureCheck {
  valid: boolean;
  accessKeyId: string | undefined;
  region: string | undefined;
  service: string | undefined;
  signedHeaders: string[];
}

export async function checkSignature(
  request: ReceivedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<SignatureCheck> {
  const authorization = String(request.headers.authorization ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return { valid: false, accessKeyId: undefined, region: undefined, service: undefined, signedHeaders: [] };
  const [, accessKeyId, region, service, signedList, signature] = match as unknown as string[];
  const signedHeaders = (signedList ?? '').split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '');
  const url = new URL(request.url, 'http://placeholder');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service: service ?? '',
    region: region ?? '',
    sha256: Sha256,
    applyChecksum: false,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: headers['x-amz-security-token'],
    },
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: url.pathname,
      query,
      headers,
      body: request.body.toString('utf8'),
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  return { valid: expected === signature, accessKeyId, region, service, signedHeaders };
}
