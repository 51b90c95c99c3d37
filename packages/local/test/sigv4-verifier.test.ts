import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { describe, expect, it } from 'vitest';
import { type LocalCredential, type SignedRequest, verifySigV4 } from '../src/iam';

const credential: LocalCredential = {
  accessKeyId: 'AKIAGATEHOUSELOCAL01',
  secretAccessKey: 'local-secret-key-for-tests-only',
  accountId: '000000000000',
  userArn: 'arn:aws:iam::000000000000:user/gatehouse-local',
  userId: 'AIDAGATEHOUSELOCAL01',
};
const options = {
  region: 'us-east-1',
  lookup: (id: string) => (id === credential.accessKeyId ? credential : undefined),
};
const body = JSON.stringify({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'Revenue?' });

/** Signs as the AWS SDK (and Amplify) would. */
async function signWithSdk(
  secret = credential.secretAccessKey,
  region = 'us-east-1',
  date = new Date(),
): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    sha256: Sha256,
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: secret },
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1:3000',
      path: '/prod/inference',
      query: { debug: '1' },
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/json' },
      body,
    },
    { signingDate: date },
  );
  return {
    method: 'POST',
    url: '/prod/inference?debug=1',
    headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    body: Buffer.from(body),
  };
}

describe('verifySigV4', () => {
  it('accepts a request signed by the AWS SDK signer and names the caller', async () => {
    const result = await verifySigV4(await signWithSdk(), options);
    expect(result).toEqual({ ok: true, credential });
  });

  it('accepts a request signed by another implementation (aws4)', async () => {
    const signed = aws4.sign(
      {
        host: '127.0.0.1:3000',
        method: 'POST',
        path: '/prod/inference',
        service: 'execute-api',
        region: 'us-east-1',
        headers: { 'content-type': 'application/json' },
        body,
      },
      { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
    );
    const headers = Object.fromEntries(
      Object.entries(signed.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    headers.host = '127.0.0.1:3000';
    const result = await verifySigV4(
      { method: 'POST', url: '/prod/inference', headers, body: Buffer.from(body) },
      options,
    );
    expect(result.ok).toBe(true);
  });

  it.each([
    ['a wrong secret', () => signWithSdk('not-the-secret'), /signature we calculated does not match/],
    ['another region', () => signWithSdk(undefined, 'eu-west-1'), /valid region: 'us-east-1'/],
    [
      'an old signature',
      () => signWithSdk(undefined, undefined, new Date(Date.now() - 6 * 60_000)),
      /Signature expired/,
    ],
  ])('refuses %s', async (_name, sign, message) => {
    const result = await verifySigV4(await sign(), options);
    expect(result).toMatchObject({ ok: false, status: 403, message: expect.stringMatching(message) });
  });

  it('refuses a tampered body, path or unknown key, and an unsigned request', async () => {
    const good = await signWithSdk();
    const cases: [SignedRequest, RegExp][] = [
      [{ ...good, body: Buffer.from(body.replace('2024', '2025')) }, /x-amz-content-sha256/],
      [{ ...good, url: '/prod/admin?debug=1' }, /does not match/],
      [{ ...good, url: '/prod/inference?debug=2' }, /does not match/],
      [
        {
          ...good,
          headers: {
            ...good.headers,
            authorization: (good.headers.authorization ?? '').replace(credential.accessKeyId, 'AKIAUNKNOWN'),
          },
        },
        /security token included in the request is invalid/,
      ],
      [{ ...good, headers: { host: '127.0.0.1:3000' } }, /Missing Authentication Token/],
      [{ ...good, headers: { ...good.headers, authorization: 'Bearer eyJ' } }, /requires Credential/],
    ];
    for (const [request, message] of cases) {
      expect(await verifySigV4(request, options)).toMatchObject({ ok: false, message: expect.stringMatching(message) });
    }
  });
});
