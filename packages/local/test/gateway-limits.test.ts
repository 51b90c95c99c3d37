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
    const head = `PUT /prod/files/big HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example.com\r\nContent-Type: application/octet-stream\r\nContent-Length: ${10 * MB + 1}\r\n\r\n`;
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
    const head = 'PUT /prod/files/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
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

  it('accepts a body of exactly 10 MB', async () => {
    // Act
    const res = await send(`${f.gateway.stageUrl}/files/big`, {
      method: 'PUT',
      headers: [['content-type', 'text/plain']],
      body: Buffer.alloc(REQUEST_LIMITS.maxBodyBytes, 0x61),
    });
    // Assess
    expect(res.status).toBe(200);
    expect(f.lambda.invocations.at(-1)?.event.body?.length).toBe(10 * MB);
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

  it('refuses headers beyond what Node parses with the same 431', async () => {
    const res = await rawExchange(f.gateway.port, headOfSize(f.gateway.port, 100_000));
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toEqual({ message: 'Request Header Fields Too Large' });
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
