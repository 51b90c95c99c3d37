/**
 * The doctor's POST to the route, carrying whichever credential the auth mode takes — the token in
 * `authorization`, the API key in `x-api-key`, or a SigV4 signature for `execute-api` made as the
 * AWS SDK and Amplify make it — or none, as a signed-out caller.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { LAMBDA_AUTHORIZER } from '@gatehouse/contract';
import { SignatureV4 } from '@smithy/signature-v4';
import { type ProbeOutcome, probe } from './http-probe';

export interface IamCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  /** Where it came from, for the report (never the secret). */
  source: string;
}

export interface Credential {
  token?: string;
  apiKey?: string;
  iam?: IamCredential;
}

export interface RouteRequest {
  url: string;
  /** @default 'POST' */
  method?: 'POST' | 'GET';
  /** Ignored for GET. */
  body: string;
  origin?: string;
  credential?: Credential;
  timeoutMs: number;
  /** The clock the signature is dated with (tests move it to show clock skew). */
  now?: () => number;
}

export async function postRoute(request: RouteRequest): Promise<ProbeOutcome> {
  const method = request.method ?? 'POST';
  const headers: Record<string, string> = method === 'POST' ? { 'content-type': 'application/json' } : {};
  if (request.origin) headers.origin = request.origin;
  const { token, apiKey, iam } = request.credential ?? {};
  if (token !== undefined) headers.authorization = token.replace(/^Bearer\s+/i, '').trim();
  if (apiKey !== undefined) headers[LAMBDA_AUTHORIZER.apiKeyHeader] = apiKey;
  if (iam) Object.assign(headers, await sign(request, headers, iam));
  return probe(
    request.url,
    { method, headers, ...(method === 'POST' ? { body: request.body } : {}) },
    request.timeoutMs,
  );
}

async function sign(
  request: RouteRequest,
  headers: Record<string, string>,
  credential: IamCredential,
): Promise<Record<string, string>> {
  const url = new URL(request.url);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const signer = new SignatureV4({
    service: 'execute-api',
    region: credential.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      ...(credential.sessionToken ? { sessionToken: credential.sessionToken } : {}),
    },
  });
  const get = request.method === 'GET';
  const signed = await signer.sign(
    {
      method: get ? 'GET' : 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { host: url.host, ...headers },
      ...(get ? {} : { body: request.body }),
    },
    { signingDate: new Date(request.now?.() ?? Date.now()) },
  );
  // fetch sets `host` itself, to the very value that was signed.
  return Object.fromEntries(
    Object.entries(signed.headers)
      .map(([name, value]) => [name.toLowerCase(), String(value)])
      .filter(([name]) => name !== 'host'),
  );
}
