/**
 * The edge's SigV4 signer against the AWS SDK's (`@smithy/signature-v4`) on the same request at the
 * same instant: the two must produce the same `Authorization`, byte for byte — for a plain name, an
 * ARN with characters the path encodes, a qualifier, a session token, a trace header left unsigned,
 * and across midnight (a new day's signing key).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { InvokeSigner } from '../src/invoke-signer';

const CREDENTIALS = {
  accessKeyId: 'AKIAEXAMPLEEXAMPLE01',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//token+with/odd=chars',
};

async function sdkAuthorization(
  request: { host: string; path: string; qualifier?: string; headers: Record<string, string>; body: string },
  signed: Record<string, string>,
  at: Date,
): Promise<string> {
  const signer = new SignatureV4({
    service: 'lambda',
    region: 'eu-west-1',
    sha256: Sha256,
    credentials: CREDENTIALS,
    applyChecksum: false,
  });
  const [hostname, port] = request.host.split(':');
  const headers: Record<string, string> = { ...request.headers, host: request.host };
  headers['content-length'] = signed['content-length'] as string;
  const result = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: hostname as string,
      ...(port ? { port: Number(port) } : {}),
      path: request.path,
      query: request.qualifier === undefined ? {} : { Qualifier: request.qualifier },
      headers,
      body: request.body,
    },
    { signingDate: at },
  );
  return String(result.headers.authorization);
}

describe('InvokeSigner', () => {
  const signer = new InvokeSigner(CREDENTIALS, 'eu-west-1');

  it.each([
    ['a plain name', 'gatehouse-core', undefined],
    ['an ARN and a qualifier', 'arn:aws:lambda:eu-west-1:123456789012:function:gatehouse-core', 'live'],
    ['the $LATEST qualifier', 'gatehouse-core', '$LATEST'],
  ])('signs as the AWS SDK does: %s', async (_case, functionName, qualifier) => {
    const at = new Date('2026-12-07T17:01:02.345Z');
    const request = {
      host: '127.0.0.1:3001',
      path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
      qualifier,
      headers: {
        'content-type': 'application/json',
        'x-amz-invocation-type': 'RequestResponse',
        'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      },
      body: JSON.stringify({ input: { text: 'ünïcode ✓' } }),
    };

    const signed = signer.sign(request, at);

    expect(signed.headers.authorization).toBe(await sdkAuthorization(request, signed.headers, at));
    expect(signed.headers.authorization).not.toContain('x-amzn-trace-id');
    expect(signed.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(signed.headers['x-amz-date']).toBe('20261207T170102Z');
    expect(signed.path).toBe(
      qualifier === undefined ? request.path : `${request.path}?Qualifier=${encodeURIComponent(qualifier)}`,
    );
  });

  it('derives a new signing key when the date changes', async () => {
    const request = {
      host: 'lambda.eu-west-1.amazonaws.com',
      path: '/2015-03-31/functions/gatehouse-core/invocations',
      qualifier: undefined,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    };
    for (const at of [new Date('2026-12-07T23:59:59Z'), new Date('2026-12-08T00:00:01Z')]) {
      const signed = signer.sign(request, at);
      expect(signed.headers.authorization).toBe(await sdkAuthorization(request, signed.headers, at));
    }
  });
});
