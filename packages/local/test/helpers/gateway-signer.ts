/**
 * Signs a request to the gateway with SigV4 exactly as the AWS SDK (and Amplify's signer) does,
 * using `@smithy/signature-v4`, and returns the headers to send — for IAM-mode gateway tests.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SigningOptions {
  method: string;
  /** The full URL the request goes to (`http://127.0.0.1:PORT/prod/inference?x=1`). */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

export async function signForGateway(options: SigningOptions): Promise<[string, string][]> {
  const url = new URL(options.url);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    },
  });
  const signed = await signer.sign({
    method: options.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), String(value)]);
}
