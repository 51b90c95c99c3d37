/**
 * Calls the local Invoke API as the edge does: SigV4-signed (service `lambda`) with the local
 * credential, which is the only caller it admits.
 */
import aws4 from 'aws4';
import { LOCAL_CREDENTIALS } from '../../src/lambda';

export function signedInvoke(
  serviceUrl: string,
  name: string,
  body: string,
  options: { headers?: Record<string, string>; query?: string; region?: string } = {},
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
    LOCAL_CREDENTIALS,
  );
  return fetch(`${serviceUrl}${path}`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
}
