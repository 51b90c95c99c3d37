/**
 * Calls the local Invoke API as the edge does: SigV4-signed (service `lambda`) with the local
 * credential, which is the only caller it admits.
 */
import aws4 from 'aws4';
import { testCredential } from './test-credential';

export function signedInvoke(
  serviceUrl: string,
  name: string,
  body: string,
  options: {
    headers?: Record<string, string>;
    query?: string;
    region?: string;
    credential?: { accessKeyId: string; secretAccessKey: string };
  } = {},
): Promise<Response> {
  const path = `/2015-03-31/functions/${encodeURIComponent(name)}/invocations${options.query ?? ''}`;
  const signed = aws4.sign(
    {
      service: 'lambda',
      region: options.region ?? 'us-east-1',
      method: 'POST',
      host: new URL(serviceUrl).host,
      path,
      body,
      headers: { 'content-type': 'application/json', ...options.headers },
    },
    options.credential ?? testCredential,
  );
  return fetch(`${serviceUrl}${path}`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
}
