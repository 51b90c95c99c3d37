/**
 * The seeded request fuzzer's cases, as fast-check arbitraries sampled with a fixed seed (the same
 * seed always gives the same requests, so a failure is replayed by its seed and index): methods,
 * request targets (`..`, `%2e`, double slashes, stage variants, absolute form), headers (content
 * types and charsets, encodings, repeats, odd case, control bytes, many or long ones), origins,
 * tokens, and bodies (random JSON, deep nesting, huge numbers, unicode, invalid UTF-8, truncated,
 * prototype keys, duplicate keys, big ones). Most requests carry a valid token and a JSON content
 * type, so most of them get past the gateway and exercise the edge and the core.
 */
import fc from 'fast-check';
import type { RawRequest, RawValue } from './raw-http';

export interface FuzzTarget {
  port: number;
  idToken: string;
  allowedOrigin: string;
  /**
   * The largest body a case may carry. Bodies over 6 MB (Lambda's invoke limit) and over 10 MB
   * (API Gateway's) are generated only when this allows them (default 400,000 bytes).
   */
  maxBodyBytes?: number;
}

export interface FuzzCase {
  /** Builds the request's bytes when it is sent, so ten thousand cases never sit in memory at once. */
  request(): RawRequest;
  /** The `Origin` as the server reads it (Latin-1), when one is sent. */
  origin?: string;
  /** A short description for reports: method, target, content type, body kind. */
  label: string;
}

const VALID = { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' };

interface BodySpec {
  kind: string;
  make(): Buffer;
}

/** `count` cases from `seed`: deterministic for a given seed, count and target. */
export function fuzzCases(target: FuzzTarget, seed: number, count: number): FuzzCase[] {
  return fc.sample(fuzzCase(target), { seed, numRuns: count });
}

export function fuzzCase(target: FuzzTarget): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      method: method(),
      path: path(target.port),
      contentType: contentType(),
      typeHeaderName: fc.constantFrom('content-type', 'content-type', 'Content-Type', 'CoNtEnT-tYpE'),
      authorization: authorization(target.idToken),
      origin: origin(target.allowedOrigin),
      extra: fc.oneof(
        { weight: 3, arbitrary: fc.constant<[string, RawValue][][]>([]) },
        { weight: 2, arbitrary: fc.array(extraHeader(), { minLength: 1, maxLength: 3 }) },
      ),
      body: body(target.maxBodyBytes ?? 400_000),
      lengthMode: fc.oneof(
        { weight: 12, arbitrary: fc.constant('exact' as const) },
        { weight: 1, arbitrary: fc.constantFrom('short' as const, 'chunked' as const, 'none' as const) },
      ),
    })
    .map((c) => {
      const headers: [string, RawValue][] = [];
      if (c.authorization !== undefined) headers.push(['authorization', c.authorization]);
      if (c.origin !== undefined) headers.push(['origin', c.origin]);
      if (c.contentType !== undefined) headers.push([c.typeHeaderName, c.contentType]);
      headers.push(...c.extra.flat());
      return {
        request: () => {
          const [framing, bytes] = frame(c.body.make(), c.lengthMode);
          return { method: c.method, target: c.path, headers: [...headers, ...framing], body: bytes };
        },
        ...(c.origin === undefined ? {} : { origin: Buffer.from(c.origin).toString('latin1') }),
        label: `${c.method} ${c.path.slice(0, 60)} ct=${JSON.stringify(c.contentType ?? null)} body=${c.body.kind}/${c.lengthMode} extra=${c.extra.map(([n]) => n).join(',')}`,
      };
    });
}

function frame(bytes: Buffer, mode: 'exact' | 'short' | 'chunked' | 'none'): [[string, RawValue][], Buffer] {
  switch (mode) {
    case 'exact':
      return [[['content-length', String(bytes.length)]], bytes];
    case 'short':
      // A declared length under the body's: the rest would be a second request on a kept-alive
      // connection; the request asks for `connection: close`, so the server must ignore it.
      return [[['content-length', String(Math.floor(bytes.length / 2))]], bytes];
    case 'chunked':
      return [[['transfer-encoding', 'chunked']], chunked(bytes)];
    case 'none':
      return [[], Buffer.alloc(0)];
  }
}

function method(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 60, arbitrary: fc.constant('POST') },
    { weight: 6, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE') },
    { weight: 1, arbitrary: fc.constantFrom('post', 'FOO', 'PROPFIND', 'M-SEARCH', 'CONNECT') },
  );
}

function path(port: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 50, arbitrary: fc.constant('/prod/inference') },
    {
      weight: 10,
      arbitrary: fc.constantFrom(
        '/prod/inference/',
        '/prod//inference',
        '//prod/inference',
        '/prod/../prod/inference',
        '/prod/%2e%2e/prod/inference',
        '/prod/%2E%2E/inference',
        '/prod/./inference',
        '/prod/%2e/inference',
        '/PROD/inference',
        '/prod/INFERENCE',
        '/prod/inference?x=1&x=2&y',
        '/prod/inference?%00=%ff',
        '/prod/inference%00',
        '/prod/inference%2f',
        '/prod/inference%2F..%2F..%2Fetc%2Fpasswd',
        '/prod/inference;jsessionid=1',
        '/$default/inference',
        '/%24default/inference',
        '/inference',
        '/prod',
        '/prod/',
        '/',
        '*',
        `http://127.0.0.1:${port}/prod/inference`,
        'http://evil.example/prod/inference',
        '/prod/inference#fragment',
        '/prod/%E2%80%AE',
        '/prod/%C0%AE%C0%AE/inference',
        `/prod/inference?${'a'.repeat(9_000)}`,
        '/prod/ïnference',
        '/prod/inference\u00a0',
        `/prod/${'x/'.repeat(500)}`,
      ),
    },
    { weight: 2, arbitrary: fc.webPath().map((p) => `/prod${p.startsWith('/') ? p : `/${p}`}`) },
  );
}

function contentType(): fc.Arbitrary<RawValue | undefined> {
  return fc.oneof(
    { weight: 40, arbitrary: fc.constant('application/json') },
    {
      weight: 10,
      arbitrary: fc.constantFrom<RawValue | undefined>(
        undefined,
        '',
        'application/json; charset=utf-8',
        'application/json;charset=UTF-8',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/json; charset="utf-8"; x=',
        'APPLICATION/JSON',
        'application/vnd.api+json',
        'application/merge-patch+json',
        'application/jsonp',
        'application/json, text/plain',
        'text/plain',
        'text/json',
        'text/html; charset=utf-8',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        '*/*',
        'application/json\t',
        Buffer.from([0x61, 0x70, 0x70, 0xff, 0x2f, 0x6a]),
      ),
    },
  );
}

function authorization(idToken: string): fc.Arbitrary<RawValue | undefined> {
  return fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(idToken, `Bearer ${idToken}`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<RawValue | undefined>(
        undefined,
        '',
        'Bearer ',
        'Bearer',
        'not-a-token',
        `${idToken}x`,
        `Bearer ${idToken.split('.').slice(0, 2).join('.')}.`,
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
}

function origin(allowed: string): fc.Arbitrary<RawValue | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: fc.constant(allowed) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<RawValue>(
        'null',
        '*',
        'https://evil.example',
        `${allowed}.evil.com`,
        `${allowed}/`,
        allowed.replace('http:', 'https:'),
        allowed.toUpperCase(),
        `${allowed}, https://evil.example`,
        Buffer.concat([Buffer.from(allowed), Buffer.from([0xff])]),
      ),
    },
  );
}

function extraHeader(): fc.Arbitrary<[string, RawValue][]> {
  return fc.oneof(
    fc.constantFrom<[string, RawValue][]>(
      [['content-encoding', 'gzip']],
      [['content-encoding', 'br']],
      [['content-encoding', 'deflate, identity']],
      [['content-encoding', 'x-unknown']],
      [['content-type', 'text/plain']],
      [['authorization', 'Bearer forged.token.here']],
      [['host', 'evil.example']],
      [['x-forwarded-for', '203.0.113.1, 10.0.0.1']],
      [['apigw-requestid', 'injected-id']],
      [['x-amzn-requestid', 'injected']],
      [['x-amz-function-error', 'Unhandled']],
      [['expect', '100-continue']],
      [['connection', 'keep-alive, close']],
      [['accept-charset', 'utf-7']],
      [['x-control', 'a\u0001b']],
      [['x-obs-text', Buffer.from([0x80, 0xff, 0xfe])]],
      [['x-long', 'v'.repeat(8_000)]],
      [['bad header name', 'x']],
      [['x-empty', '']],
      Array.from({ length: 100 }, (_, i): [string, RawValue] => [`x-many-${i}`, String(i)]),
      Array.from({ length: 3_000 }, (): [string, RawValue] => ['x-e', '']),
    ),
    fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.string({ maxLength: 60, unit: 'grapheme-ascii' }))
      .map(([name, value]): [string, RawValue][] => [[`x-${name}`, value]]),
  );
}

function body(maxBytes: number): fc.Arbitrary<BodySpec> {
  const text = (kind: string) => (value: string) => ({ kind, make: () => Buffer.from(value) });
  const arbitraries: fc.WeightedArbitrary<BodySpec>[] = [
    { weight: 25, arbitrary: inferenceBody().map(text('inference')) },
    { weight: 4, arbitrary: fc.json({ maxDepth: 4 }).map(text('json')) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          '1e400',
          '-0',
          '123456789012345678901234567890',
          '{"partner":"Acme Corp","year":1e309,"period":"Q3","question":"x"}',
          '{"partner":"Acme Corp","year":9007199254740993,"period":"Q3","question":"x"}',
          '{"partner":"Acme Corp","year":-2024.5e-300,"period":"Q3","question":"x"}',
          'NaN',
          'Infinity',
        )
        .map(text('number')),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(100, 1_000, 10_000, 100_000), fc.constantFrom('[', '{"a":'))
        .map(([depth, open]) => ({
          kind: `nested-${depth}`,
          make: () => Buffer.from(open.repeat(depth) + (open === '[' ? ']' : '}').repeat(depth)),
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.constantFrom('\\ud800', '\\udfff\\ud800', '\u202e\u0000\ufeff', '😀'.repeat(50), '\\u0000'),
        )
        .map((s) => ({
          kind: 'unicode',
          make: () => Buffer.from(`{"partner":"${s}","year":2024,"period":"Q3","question":"${s}"}`),
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]),
          fc.uint8Array({ maxLength: 64 }).map((a) => [...a]),
        )
        .map((bad) => ({
          kind: 'invalid-utf8',
          make: () =>
            Buffer.concat([
              Buffer.from('{"partner":"Acme'),
              Buffer.from(bad),
              Buffer.from('","year":2024,"period":"Q3","question":"x"}'),
            ]),
        })),
    },
    {
      weight: 2,
      arbitrary: fc.integer({ min: 0, max: 70 }).map((cut) => ({
        kind: 'truncated',
        make: () => Buffer.from(JSON.stringify(VALID).slice(0, cut)),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('', ' ', '\r\n', '\ufeff{}', `\ufeff${JSON.stringify(VALID)}`, 'null', '[]', '"x"', 'true')
        .map(text('empty-ish')),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          JSON.stringify({ __proto__: { admin: true }, ...VALID }).replace('{', '{"__proto__":{"admin":true},'),
          `{"constructor":{"prototype":{"admin":true}},${JSON.stringify(VALID).slice(1)}`,
          `{"partner":"Nobody","partner":"Acme Corp","year":2024,"period":"Q3","question":"x","year":2023}`,
        )
        .map(text('prototype/duplicate keys')),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(100_000, 300_000).map((size) => ({
        kind: `big-${size}`,
        make: () => Buffer.from(JSON.stringify({ ...VALID, question: 'q'.repeat(size) })),
      })),
    },
  ];
  if (maxBytes > 6 * 1024 * 1024) {
    arbitraries.push({
      weight: 1,
      arbitrary: fc
        .constantFrom(4_900_000, 7_000_000, 10_600_000)
        .filter((size) => size <= maxBytes)
        .map((size) => ({
          kind: `oversize-${size}`,
          make: () => Buffer.from(JSON.stringify({ ...VALID, question: 'q'.repeat(size) })),
        })),
    });
  }
  return fc.oneof(...arbitraries);
}

function inferenceBody(): fc.Arbitrary<string> {
  const valid = fc
    .record({
      partner: fc.constantFrom('Acme Corp', 'Globex'),
      year: fc.integer({ min: 2020, max: 2024 }),
      period: fc.constantFrom('Q1', 'Q2', 'Q3', 'Q4'),
      // The sample core answers questions about revenue, costs, margin, growth or a summary.
      question: fc
        .tuple(
          fc.constantFrom('What was the revenue?', 'Costs?', 'margin', 'Growth ', 'summary'),
          fc.string({ unit: 'grapheme', maxLength: 100 }),
        )
        .map(([topic, tail]) => `${topic} ${tail}`),
    })
    .map((value) => JSON.stringify(value));
  const odd = fc
    .record({
      partner: fc.oneof(
        fc.constantFrom('Acme Corp', 'Globex', 'Nobody Ltd'),
        fc.string({ maxLength: 120 }),
        fc.integer(),
      ),
      year: fc.oneof(fc.integer({ min: 1990, max: 2030 }), fc.integer(), fc.double(), fc.string({ maxLength: 8 })),
      period: fc.oneof(fc.constantFrom('Q1', 'Q2', 'Q3', 'Q4', 'FY', 'q3', 'Q5', ''), fc.string({ maxLength: 4 })),
      question: fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.string({ unit: 'grapheme', maxLength: 100 }),
        fc.constant(undefined),
      ),
      extra: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
    })
    .map((value) => JSON.stringify(value));
  return fc.oneof(valid, odd);
}

function chunked(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 4096) {
    const chunk = bytes.subarray(at, at + 4096);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}
