import { AUTH_MODE_REQUEST_HEADERS } from '@gatehouse/contract';
import { SAMPLE_API } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCredential } from '../src/iam';
import { ALLOWED_ORIGIN, type GatewayFixture, startGatewayFixture, WIDE_API } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';
import { type SigningOptions, signForGateway } from './helpers/gateway-signer';

const REGION = 'eu-west-1';
const credential: LocalCredential = {
  accessKeyId: 'AKIAGATEHOUSELOCAL01',
  secretAccessKey: 'local-secret-key-for-gateway-tests',
  accountId: '000000000000',
  userArn: 'arn:aws:iam::000000000000:user/gatehouse-local',
  userId: 'AIDAGATEHOUSELOCAL01',
};
const body = JSON.stringify({ partner: 'Acme', year: 2024, period: 'Q3', question: 'Revenue?' });
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

describe('gateway IAM authorization', () => {
  let f: GatewayFixture;
  const edgeCalls = () => f.lambda.invocations.length;

  beforeAll(async () => {
    f = await startGatewayFixture({
      api: WIDE_API,
      authorizer: {
        type: 'iam',
        region: REGION,
        lookup: (id) => (id === credential.accessKeyId ? credential : undefined),
      },
    });
  });
  afterAll(() => f.close());

  const url = (path = '/prod/inference') => `${f.gateway.url}${path}`;
  const sign = (overrides: Partial<SigningOptions> = {}) =>
    signForGateway({
      method: 'POST',
      url: url(),
      headers: { 'content-type': 'application/json' },
      body,
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      region: REGION,
      ...overrides,
    });
  const post = (headers: [string, string][], path?: string, sent = body) =>
    send(url(path), { method: 'POST', headers, body: sent });

  it('admits a request signed by the AWS SDK signer and hands the caller to the edge as authorizer.iam', async () => {
    // Prepare
    const headers = await sign();
    // Act
    const res = await post(headers);
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocations.at(-1)?.event.requestContext.authorizer).toEqual({
      iam: {
        accessKey: credential.accessKeyId,
        accountId: credential.accountId,
        callerId: credential.userId,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: credential.userArn,
        userId: credential.userId,
      },
    });
  });

  it('admits a signed request with a query string and passes the signing headers through to the edge', async () => {
    // Prepare
    const headers = await sign({ url: url('/prod/inference?debug=1&lang=en') });
    // Act
    const res = await post(headers, '/prod/inference?debug=1&lang=en');
    // Assess
    expect(res.status).toBe(200);
    const event = f.lambda.invocations.at(-1)?.event;
    expect(event?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(event?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAGATEHOUSELOCAL01\//);
  });

  it('answers 403 Missing Authentication Token to an unsigned request, without calling the edge', async () => {
    // Prepare
    const before = edgeCalls();
    // Act
    const res = await post([['content-type', 'application/json']]);
    // Assess
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(edgeCalls()).toBe(before);
    expect(f.log.at(-1)?.authorizerError).toBe('Missing Authentication Token');
  });

  const refusals: [string, () => Promise<{ headers: [string, string][]; path?: string; body?: string }>, RegExp][] = [
    ['a body changed after signing', async () => ({ headers: await sign(), body: body.replace('Q3', 'Q4') }), /match/],
    [
      'a query string changed after signing',
      async () => ({ headers: await sign({ url: url('/prod/inference?debug=1') }), path: '/prod/inference?debug=2' }),
      new RegExp(`^${SIGNATURE_MISMATCH.replace(/[.]/g, '\\.')}$`),
    ],
    [
      'a signed header changed after signing',
      async () => ({
        headers: (await sign()).map(([n, v]): [string, string] => [n, n === 'content-type' ? 'text/plain' : v]),
      }),
      /^The request signature we calculated does not match/,
    ],
    [
      'a wrong secret key',
      async () => ({ headers: await sign({ secretAccessKey: 'not-the-secret' }) }),
      /^The request signature we calculated does not match/,
    ],
    [
      'an access key the local stack does not know',
      async () => ({ headers: await sign({ accessKeyId: 'AKIAUNKNOWNKEY000000' }) }),
      /^The security token included in the request is invalid\.$/,
    ],
    [
      'a signature for another region',
      async () => ({ headers: await sign({ region: 'us-east-1' }) }),
      /^Credential should be scoped to a valid region: 'eu-west-1'\.$/,
    ],
    [
      'an Authorization header that is not SigV4',
      async () => ({ headers: [['authorization', 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln']] }),
      /^Authorization header requires Credential, SignedHeaders and Signature/,
    ],
  ];

  it.each(refusals)(
    'answers 403 with the verifier message for %s, without calling the edge',
    async (_c, make, message) => {
      // Prepare
      const request = await make();
      const before = edgeCalls();
      // Act
      const res = await post(request.headers, request.path, request.body);
      // Assess
      expect(res.status).toBe(403);
      const answer = res.json() as { message: string };
      expect(Object.keys(answer)).toEqual(['message']);
      expect(answer.message).toMatch(message);
      expect(edgeCalls()).toBe(before);
      expect(f.log.at(-1)?.authorizerError).toBe(answer.message);
    },
  );

  it('adds CORS headers to its 403', async () => {
    // Act
    const res = await post([
      ['content-type', 'application/json'],
      ['origin', ALLOWED_ORIGIN],
    ]);
    // Assess
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('answers preflights unsigned and allows the SigV4 headers', async () => {
    // Prepare
    const before = edgeCalls();
    // Act
    const res = await send(url(), {
      method: 'OPTIONS',
      headers: [
        ['origin', ALLOWED_ORIGIN],
        ['access-control-request-method', 'POST'],
        ['access-control-request-headers', 'authorization,content-type,x-amz-date,x-amz-content-sha256'],
      ],
    });
    // Assess
    expect(res.status).toBe(204);
    expect(String(res.headers['access-control-allow-headers']).split(',')).toEqual([
      ...SAMPLE_API.cors.allowHeaders,
      ...AUTH_MODE_REQUEST_HEADERS.iam,
    ]);
    expect(edgeCalls()).toBe(before);
  });

  it('keeps routes with authorization "none" public: unsigned, no authorizer in the event', async () => {
    // Act
    const res = await send(url('/prod/items/7'));
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocations.at(-1)?.event.requestContext).not.toHaveProperty('authorizer');
  });

  it('never writes the secret key or a signature into the request log', () => {
    const log = JSON.stringify(f.log);
    expect(log).not.toContain(credential.secretAccessKey);
    expect(log).not.toMatch(/Signature=|[0-9a-f]{64}/);
  });
});
