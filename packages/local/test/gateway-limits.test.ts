import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_LIMITS } from '../src/gateway';
import { type GatewayFixture, startGatewayFixture, WIDE_API } from './helpers/gateway-fixture';
import { send } from './helpers/gateway-http';
import { rawExchange } from './helpers/gateway-raw';

const MB = 1024 * 1024;

function* chunksOf(total: number, size = 64 * 1024): Generator<Buffer> {
  const chunk = Buffer.alloc(size, 0x61);
  for (let sent = 0; sent < total; sent += size) yield total - sent >= size ? chunk : chunk.subarray(0, total - sent);
}

/** A head of exactly `size` bytes (request line + headers, without the final blank line). */
function headOfSize(port: number, size: number): string {
  const line = 'GET /prod/items/1 HTTP/1.1\r\n';
  const fixed = `${line}Host: 127.0.0.1:${port}\r\nConnection: close\r\nX-Pad: \r\n`;
  return `${line}Host: 127.0.0.1:${port}\r\nConnection: close\r\nX-Pad: ${'p'.repeat(size - fixed.length)}\r\n\r\n`;
}

describe('gateway request limits', () => {
  let f: GatewayFixture;

  beforeAll(async () => {
    f = await startGatewayFixture({ api: WIDE_API });
  });
  afterAll(() => f.close());

  it('refuses a declared body over 10 MB with 413 before reading it', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    const head = `PUT /prod/files/big HTTP/1.1\r\nHost: 127.0.0.1:${f.gateway.port}\r\nOrigin: https://app.example.com\r\nContent-Type: application/octet-stream\r\nContent-Length: ${10 * MB + 1}\r\n\r\n`;
    // Act: send only the head; the answer must come without the body.
    const res = await rawExchange(f.gateway.port, head);
    // Assess
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Entity Too Large' });
    expect(res.head.toLowerCase()).toContain('access-control-allow-origin: https://app.example.com');
    expect(f.lambda.invocations.length).toBe(before);
  });

  it('refuses a chunked body with 413 once it crosses 10 MB, without waiting for the rest', async () => {
    // Prepare
    const head = `PUT /prod/files/big HTTP/1.1\r\nHost: 127.0.0.1:${f.gateway.port}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunks = (function* () {
      for (const piece of chunksOf(64 * MB))
        yield Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
      yield Buffer.from('0\r\n\r\n');
    })();
    // Act
    const res = await rawExchange(f.gateway.port, head, chunks);
    // Assess
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Entity Too Large' });
    expect(res.written).toBeLessThan(64 * MB);
  });

  it('reads a body of exactly 10 MB, then answers 413 as its Lambda integration cannot take it', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await send(`${f.gateway.stageUrl}/files/big`, {
      method: 'PUT',
      headers: [['content-type', 'text/plain']],
      body: Buffer.alloc(REQUEST_LIMITS.maxBodyBytes, 0x61),
    });
    // Assess
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(f.lambda.invocations.length).toBe(before);
  });

  it.each([
    ['a 7 MB JSON body', 'application/json', 7 * MB],
    ['a 4.8 MB binary body (6.4 MB once base64-encoded into the event)', 'application/octet-stream', 4.8 * MB],
  ])('answers %s with 413, not 500, without invoking the Lambda', async (_name, contentType, size) => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await send(`${f.gateway.stageUrl}/files/big`, {
      method: 'PUT',
      headers: [
        ['content-type', contentType],
        ['origin', 'https://app.example.com'],
      ],
      body: Buffer.alloc(Math.round(size), 0x61),
    });
    // Assess
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(f.lambda.invocations.length).toBe(before);
  });

  it('passes a body the Lambda can take (5 MB of text) to the integration', async () => {
    // Act
    const res = await send(`${f.gateway.stageUrl}/files/big`, {
      method: 'PUT',
      headers: [['content-type', 'text/plain']],
      body: Buffer.alloc(5 * MB, 0x61),
    });
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocations.at(-1)?.event.body?.length).toBe(5 * MB);
  });

  it('answers 413 when the Lambda service itself refuses the event as too large', async () => {
    // Prepare
    f.lambda.answerWith({
      kind: 'status',
      status: 413,
      body: { Type: 'User', Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' },
    });
    try {
      // Act
      const res = await send(`${f.gateway.stageUrl}/items/1`);
      // Assess
      expect(res.status).toBe(413);
      expect(res.json()).toEqual({ message: 'Request Entity Too Large' });
    } finally {
      f.lambda.answerWith({ kind: 'payload', payload: { statusCode: 200, body: 'ok' } });
    }
  });

  it('accepts a request line plus headers of exactly 10,240 bytes', async () => {
    const res = await rawExchange(f.gateway.port, headOfSize(f.gateway.port, 10_240));
    expect(res.status).toBe(200);
  });

  it('refuses a request line plus headers of 10,241 bytes with 431', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await rawExchange(f.gateway.port, headOfSize(f.gateway.port, 10_241));
    // Assess
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Header Fields Too Large' });
    expect(f.lambda.invocations.length).toBe(before);
  });

  it.each([
    ['30,000 spaces in one header value', () => `X-Pad: ${' '.repeat(30_000)}v\r\n`],
    ['4,000 empty headers', () => 'X:\r\n'.repeat(4_000)],
  ])('counts the raw head: %s is over the limit, 431 with CORS headers', async (_name, padding) => {
    // Prepare
    const before = f.lambda.invocations.length;
    const head = `GET /prod/items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.example.com\r\n${padding()}\r\n`;
    // Act
    const res = await rawExchange(f.gateway.port, head);
    // Assess
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Header Fields Too Large' });
    expect(res.head.toLowerCase()).toContain('content-type: application/json');
    expect(res.head.toLowerCase()).toContain('access-control-allow-origin: https://app.example.com');
    expect(f.lambda.invocations.length).toBe(before);
  });

  it('meters each request of a kept-alive connection on its own', async () => {
    // Prepare: a 6,000-byte head with a 9,000-byte body, then another 6,000-byte head
    const pad = 'p'.repeat(6_000);
    const first = `PUT /prod/files/a HTTP/1.1\r\nHost: 127.0.0.1:${f.gateway.port}\r\nContent-Type: text/plain\r\nContent-Length: 9000\r\nX-Pad: ${pad}\r\n\r\n${'b'.repeat(9_000)}`;
    const second = `GET /prod/items/1 HTTP/1.1\r\nHost: 127.0.0.1:${f.gateway.port}\r\nConnection: close\r\nX-Pad: ${pad}\r\n\r\n`;
    // Act: both requests in one write, pipelined
    const res = await rawExchange(f.gateway.port, first + second);
    // Assess
    expect(res.head).toMatch(/^HTTP\/1\.1 200/);
    expect(res.body).toContain('HTTP/1.1 200');
  });

  it('answers two Host headers with 400', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await rawExchange(
      f.gateway.port,
      'GET /prod/items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
    );
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ message: 'Bad Request' });
    expect(f.lambda.invocations.length).toBe(before);
  });

  it.each([
    ['without a Host header', 'GET /prod/items/1 HTTP/1.1\r\nOrigin: https://app.example.com\r\n\r\n'],
    [
      'with its Host past the 2,000 headers Node keeps',
      `GET /prod/items/1 HTTP/1.1\r\nOrigin: https://app.example.com\r\n${'a:\r\n'.repeat(2_000)}Host: x\r\n\r\n`,
    ],
  ])("answers a request %s with the gateway's 400, CORS headers and request id", async (_, head) => {
    // Prepare
    const before = f.lambda.invocations.length;
    // Act
    const res = await rawExchange(f.gateway.port, head);
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ message: 'Bad Request' });
    expect(res.head.toLowerCase()).toContain('access-control-allow-origin: https://app.example.com');
    expect(res.head.toLowerCase()).toContain('apigw-requestid:');
    expect(f.lambda.invocations.length).toBe(before);
  });

  it("answers CONNECT with the gateway's 400 and CORS headers instead of dropping the connection", async () => {
    // Act
    const res = await rawExchange(
      f.gateway.port,
      'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\nOrigin: https://app.example.com\r\n\r\n',
    );
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ message: 'Bad Request' });
    expect(res.head.toLowerCase()).toContain('access-control-allow-origin: https://app.example.com');
    expect(res.head.toLowerCase()).toContain('apigw-requestid:');
  });

  it("gives a request Node's parser refuses the gateway's JSON body and CORS headers", async () => {
    // Act
    const res = await rawExchange(
      f.gateway.port,
      `GET /prod/items/1 HTTP/1.1\r\nHost: 127.0.0.1:${f.gateway.port}\r\nOrigin: https://app.example.com\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n`,
    );
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ message: 'Bad Request' });
    expect(res.head.toLowerCase()).toContain('access-control-allow-origin: https://app.example.com');
    expect(res.head.toLowerCase()).toContain('apigw-requestid:');
  });

  it('gives the 431 CORS headers when the Origin comes after the header that crossed the limit', async () => {
    // Act
    const res = await rawExchange(
      f.gateway.port,
      `GET /prod/items/1 HTTP/1.1\r\nHost: 127.0.0.1:${f.gateway.port}\r\nX-Pad: ${'p'.repeat(12_000)}\r\nOrigin: https://app.example.com\r\n\r\n`,
    );
    // Assess
    expect(res.status).toBe(431);
    expect(res.head.toLowerCase()).toContain('access-control-allow-origin: https://app.example.com');
  });

  it('refuses headers beyond what Node parses with the same 431', async () => {
    const res = await rawExchange(f.gateway.port, headOfSize(f.gateway.port, 100_000));
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Header Fields Too Large' });
  });
});

describe('gateway request timeouts', () => {
  let f: GatewayFixture;

  beforeAll(async () => {
    f = await startGatewayFixture({ api: WIDE_API, headersTimeoutMs: 300, requestTimeoutMs: 600 });
  });
  afterAll(() => f.close());

  it('answers 408 with CORS headers to a client that never finishes its headers', async () => {
    // Act
    const res = await rawExchange(
      f.gateway.port,
      `GET /prod/items/1 HTTP/1.1\r\nHost: 127.0.0.1:${f.gateway.port}\r\nOrigin: https://app.example.com\r\n`,
    );
    // Assess
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Timeout' });
    expect(res.head.toLowerCase()).toContain('access-control-allow-origin: https://app.example.com');
  });

  it('answers 408 to a client that trickles its body and never finishes it', async () => {
    // Prepare
    const before = f.lambda.invocations.length;
    const head = `PUT /prod/files/slow HTTP/1.1\r\nHost: 127.0.0.1:${f.gateway.port}\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n`;
    // Act
    const res = await rawExchange(f.gateway.port, head, [Buffer.from('only ten b')]);
    // Assess
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Timeout' });
    expect(f.lambda.invocations.length).toBe(before);
  });
});

describe('integration timeout from the API description', () => {
  it('applies the API description timeout when no override is given', async () => {
    // Prepare
    const f = await startGatewayFixture({ api: { ...WIDE_API, integrationTimeoutMs: 150 } });
    f.lambda.answerWith({ kind: 'hang', ms: 2_000 });
    try {
      // Act
      const res = await send(`${f.gateway.stageUrl}/items/1`);
      // Assess
      expect(res.status).toBe(503);
    } finally {
      await f.close();
    }
  });
});
