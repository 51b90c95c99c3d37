import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRequestTime, isTextContentType, parseQueryString } from '../src/gateway/event-v2';
import { type GatewayFixture, startGatewayFixture, WIDE_API } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';

describe('2.0 event pieces (unit)', () => {
  it('formats requestContext.time as API Gateway does', () => {
    expect(formatRequestTime(new Date(Date.UTC(2020, 2, 12, 19, 3, 58)))).toBe('12/Mar/2020:19:03:58 +0000');
    expect(formatRequestTime(new Date(Date.UTC(2026, 0, 5, 4, 5, 6)))).toBe('05/Jan/2026:04:05:06 +0000');
  });

  it.each([
    ['text/plain', true],
    ['text/html; charset=utf-8', true],
    ['application/json', true],
    ['Application/JSON; charset=UTF-8', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/octet-stream', false],
    ['application/x-www-form-urlencoded', false],
    ['image/png', false],
    [undefined, false],
  ])('treats %s as text: %s', (type, text) => {
    expect(isTextContentType(type)).toBe(text);
  });

  it('decodes query parameters and joins repeats with commas', () => {
    expect(parseQueryString('a=1&b=x%20y&a=2&c=&d')).toEqual({ a: '1,2', b: 'x y', c: '', d: '' });
    expect(parseQueryString('')).toBeUndefined();
  });
});

describe('2.0 event as the Lambda receives it', () => {
  let f: GatewayFixture;

  beforeAll(async () => {
    f = await startGatewayFixture({ api: WIDE_API });
  });
  afterAll(() => f.close());

  it('builds the event of an authorized JSON POST exactly as API Gateway does', async () => {
    // Prepare
    const token = await f.issuer.idToken();
    const before = Date.now();
    // Act
    const res = await send(`${f.gateway.stageUrl}/inference?lang=en&tag=a&tag=b`, {
      method: 'POST',
      headers: [
        ['Authorization', `Bearer ${token}`],
        ['Content-Type', 'application/json'],
        ['User-Agent', 'gatehouse-test/1.0'],
        ['X-Custom', 'one'],
        ['x-custom', 'two'],
        ['Cookie', 'session=abc; theme=dark'],
      ],
      body: '{"partner":"Acme"}',
    });
    // Assess
    expect(res.status).toBe(200);
    const invocation = f.lambda.invocations.at(-1);
    expect(invocation?.functionName).toBe('gatehouse-edge');
    const event = invocation?.event;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /inference',
      rawPath: '/prod/inference',
      rawQueryString: 'lang=en&tag=a&tag=b',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { lang: 'en', tag: 'a,b' },
      body: '{"partner":"Acme"}',
      isBase64Encoded: false,
    });
    expect(event?.pathParameters).toBeUndefined();
    expect(event?.stageVariables).toBeUndefined();
    expect(event?.headers).toMatchObject({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'user-agent': 'gatehouse-test/1.0',
      'x-custom': 'one,two',
      'content-length': '18',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': String(f.gateway.port),
    });
    expect(event?.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event?.headers.cookie).toBeUndefined();
    expect(Object.keys(event?.headers ?? {}).every((name) => name === name.toLowerCase())).toBe(true);

    const ctx = event?.requestContext;
    expect(ctx).toMatchObject({
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: `127.0.0.1:${f.gateway.port}`,
      domainPrefix: '127',
      http: {
        method: 'POST',
        path: '/prod/inference',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'gatehouse-test/1.0',
      },
      routeKey: 'POST /inference',
      stage: 'prod',
    });
    expect(ctx?.requestId).toBe(res.headers['apigw-requestid']);
    expect(ctx?.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(ctx?.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(ctx?.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(ctx?.timeEpoch).toBeLessThanOrEqual(Date.now());
    expect(ctx?.authorizer?.jwt?.scopes).toBeNull();
    expect(ctx?.authorizer?.jwt?.claims.sub).toBe('7d8ca528-4931-4254-9273-ea5ee853f271');
  });

  it.each([
    ['application/octet-stream', true],
    ['image/png', true],
    [undefined, true],
    ['text/plain; charset=utf-8', false],
    ['application/xml', false],
  ])('encodes a body of type %s in base64: %s', async (type, base64) => {
    // Prepare
    const payload = Buffer.from([0x00, 0xff, 0x41, 0x42, 0x0a]);
    // Act
    await send(`${f.gateway.stageUrl}/files/upload`, {
      method: 'PUT',
      headers: type === undefined ? [] : [['content-type', type]],
      body: payload,
    });
    // Assess
    const event = f.lambda.invocations.at(-1)?.event;
    expect(event?.isBase64Encoded).toBe(base64);
    expect(event?.body).toBe(payload.toString(base64 ? 'base64' : 'utf8'));
  });

  it('omits body, cookies, query and authorizer when there are none', async () => {
    // Act
    await send(`${f.gateway.stageUrl}/items/42`);
    // Assess
    const event = f.lambda.invocations.at(-1)?.event;
    expect(event?.body).toBeUndefined();
    expect(event?.isBase64Encoded).toBe(false);
    expect(event?.cookies).toBeUndefined();
    expect(event?.queryStringParameters).toBeUndefined();
    expect(event?.requestContext.authorizer).toBeUndefined();
    expect(event?.pathParameters).toEqual({ id: '42' });
  });
});
