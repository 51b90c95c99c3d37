import { parseAllowedOrigins } from '@gatehouse/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../src/gateway';
import { mapLambdaAnswer } from '../src/gateway/response-v2';
import { type GatewayFixture, startGatewayFixture, WIDE_API } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';
import { type StubAnswer, startLambdaStub } from './helpers/gateway-lambda-stub';
import { testCredential } from './helpers/test-credential';

describe('Lambda answer → HTTP response (unit)', () => {
  it('keeps a structured answer: status, headers, body, cookies', () => {
    const res = mapLambdaAnswer(
      JSON.stringify({
        statusCode: 201,
        headers: { 'Content-Type': 'text/plain', 'X-Count': 3 },
        body: 'created',
        cookies: ['a=1; Secure', 'b=2'],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.headers).toEqual({ 'content-type': 'text/plain', 'x-count': '3', 'set-cookie': ['a=1; Secure', 'b=2'] });
    expect(res.body.toString()).toBe('created');
  });

  it('decodes a base64 body', () => {
    const res = mapLambdaAnswer(JSON.stringify({ statusCode: 200, body: 'AP9BQg==', isBase64Encoded: true }));
    expect([...res.body]).toEqual([0x00, 0xff, 0x41, 0x42]);
  });

  it.each([
    ['an object without statusCode', { answer: 42 }, '{"answer":42}'],
    ['a string', 'hello', 'hello'],
    ['a number', 7, '7'],
    ['an array', [1, 2], '[1,2]'],
  ])('turns %s into a 200 application/json', (_, answer, body) => {
    const res = mapLambdaAnswer(JSON.stringify(answer));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.toString()).toBe(body);
  });

  it.each([
    ['not JSON', 'oops{'],
    ['a statusCode that is not a status', '{"statusCode":"200"}'],
    ['a statusCode out of range', '{"statusCode":42}'],
    ['headers that are not an object', '{"statusCode":200,"headers":"x"}'],
    ['a header holding an object', '{"statusCode":200,"headers":{"x":{"a":1}}}'],
    ['a body that is not a string', '{"statusCode":200,"body":{"a":1}}'],
    ['cookies that are not strings', '{"statusCode":200,"cookies":[1]}'],
    ['isBase64Encoded that is not a boolean', '{"statusCode":200,"isBase64Encoded":"yes"}'],
  ])('answers 500 Internal Server Error for %s', (_, payload) => {
    const res = mapLambdaAnswer(payload);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body.toString())).toEqual({ message: 'Internal Server Error' });
  });
});

describe('integration outcomes over HTTP', () => {
  let f: GatewayFixture;
  const call = (answer: StubAnswer) => {
    f.lambda.answerWith(answer);
    return send(`${f.gateway.stageUrl}/items/1`);
  };

  beforeAll(async () => {
    f = await startGatewayFixture({ api: WIDE_API, integrationTimeoutMs: 200 });
  });
  afterAll(() => f.close());

  it('writes each cookie as its own set-cookie header', async () => {
    const res = await call({ kind: 'payload', payload: { statusCode: 200, cookies: ['a=1', 'b=2'], body: '' } });
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('answers a plain object as 200 JSON', async () => {
    const res = await call({ kind: 'payload', payload: { answer: 'yes' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ answer: 'yes' });
  });

  it.each<[string, StubAnswer]>([
    ['a function error (X-Amz-Function-Error)', { kind: 'function-error', errorType: 'TypeError', errorMessage: 'x' }],
    ['a malformed answer', { kind: 'raw', body: 'not json' }],
    [
      'a 404 ResourceNotFoundException from the Lambda service',
      { kind: 'status', status: 404, body: { Type: 'User', message: 'Function not found' } },
    ],
    [
      "a function's answer over Lambda's 6 MB (Function.ResponseSizeTooLarge)",
      {
        kind: 'function-error',
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      },
    ],
  ])('answers 500 {"message":"Internal Server Error"} for %s', async (_, answer) => {
    const res = await call(answer);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    expect(res.text).not.toContain('x-amz');
  });

  it('answers 503 {"message":"Service Unavailable"} when the integration timeout passes', async () => {
    // Act
    const res = await call({ kind: 'hang', ms: 2_000 });
    // Assess
    expect(res.status).toBe(503);
    expect(res.json()).toEqual({ message: 'Service Unavailable' });
    expect(f.log.at(-1)).toMatchObject({ status: 503, integrationLatencyMs: expect.any(Number) });
  });

  it('answers 500 when the Lambda service is not reachable at all', async () => {
    // Prepare: a gateway pointed at a port nothing listens on (the stub's, once closed).
    const gone = await startLambdaStub();
    await gone.close();
    const gateway = await startGateway({
      port: 0,
      api: WIDE_API,
      allowedOrigins: parseAllowedOrigins('https://app.example.com'),
      authorizer: { type: 'jwt', issuer: f.issuer.issuer, audiences: [f.issuer.clientId] },
      lambdaEndpoint: gone.endpoint,
      lambdaCredential: testCredential,
      functionNames: { edge: 'gatehouse-edge' },
    });
    try {
      // Act
      const res = await send(`${gateway.stageUrl}/items/1`);
      // Assess
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({ message: 'Internal Server Error' });
    } finally {
      await gateway.close();
    }
  });
});
