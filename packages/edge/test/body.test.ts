import { describe, expect, it } from 'vitest';
import { decodeJsonText, isJsonMediaType, type RawBody } from '../src/body';
import { readInput } from '../src/input';
import { Rejection } from '../src/rejection';
import { ROUTES } from './fixtures/project';
import { VALID_INPUT } from './helpers';

const POST_ROUTE = ROUTES.find((r) => r.key === 'POST /inference');
const GET_ROUTE = ROUTES.find((r) => r.key === 'GET /items/{id}');

function readBody(raw: RawBody, maxBodyBytes: number) {
  if (!POST_ROUTE) throw new Error('fixture route missing');
  return readInput(POST_ROUTE, 'POST', raw, undefined, maxBodyBytes) as Promise<Record<string, unknown>>;
}

async function codeOfAsync(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof Rejection) return error.code;
    throw error;
  }
  return 'accepted';
}

const JSON_TYPE = 'application/json';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof Rejection) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('readInput with a body schema', () => {
  it('parses and normalises a valid body', async () => {
    // Act
    const request = await readBody(
      {
        body: JSON.stringify({ ...VALID_INPUT, partner: '  Acme Corp ' }),
        isBase64Encoded: false,
        contentType: JSON_TYPE,
      },
      1000,
    );

    // Assess
    expect(request).toEqual({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the margin?' });
  });

  it('decodes a base64 body', async () => {
    // Prepare
    const body = Buffer.from(JSON.stringify(VALID_INPUT)).toString('base64');

    // Act
    const request = await readBody(
      { body, isBase64Encoded: true, contentType: 'application/json; charset=utf-8' },
      1000,
    );

    // Assess
    expect(request.partner).toBe('Acme Corp');
  });

  it.each([
    ['no body', { body: undefined, isBase64Encoded: false, contentType: JSON_TYPE }, 'body_missing'],
    ['an empty body', { body: '', isBase64Encoded: false, contentType: JSON_TYPE }, 'body_missing'],
    ['a blank body', { body: ' \n ', isBase64Encoded: false, contentType: JSON_TYPE }, 'body_missing'],
    ['no content type', { body: '{}', isBase64Encoded: true, contentType: undefined }, 'unsupported_media_type'],
    [
      'a form',
      { body: 'a=1', isBase64Encoded: true, contentType: 'application/x-www-form-urlencoded' },
      'unsupported_media_type',
    ],
    ['text/plain', { body: '{}', isBase64Encoded: false, contentType: 'text/plain' }, 'unsupported_media_type'],
    ['bad base64', { body: 'e30=!!', isBase64Encoded: true, contentType: JSON_TYPE }, 'invalid_body_encoding'],
    [
      'base64 of bad UTF-8',
      { body: Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'), isBase64Encoded: true, contentType: JSON_TYPE },
      'invalid_json',
    ],
    ['invalid JSON', { body: '{"partner":', isBase64Encoded: false, contentType: JSON_TYPE }, 'invalid_json'],
    ['a JSON array', { body: '[]', isBase64Encoded: false, contentType: JSON_TYPE }, 'validation_failed'],
    [
      'an unknown field',
      { body: JSON.stringify({ ...VALID_INPUT, admin: true }), isBase64Encoded: false, contentType: JSON_TYPE },
      'validation_failed',
    ],
  ])('refuses %s', async (_name, raw, code) => {
    // Act / Assess
    expect(await codeOfAsync(() => readBody(raw, 1000))).toBe(code);
  });

  it('reports one error per failing field', async () => {
    // Act
    let rejection: Rejection | undefined;
    try {
      await readBody(
        { body: '{"partner":"","year":1800,"period":"Q5"}', isBase64Encoded: false, contentType: JSON_TYPE },
        1000,
      );
    } catch (error) {
      rejection = error as Rejection;
    }

    // Assess
    expect(rejection?.code).toBe('validation_failed');
    expect(rejection?.errors?.map((e) => e.path).sort()).toEqual(['partner', 'period', 'question', 'year']);
    expect(rejection?.errors?.find((e) => e.path === 'question')?.message).toBe('question is required');
  });
});

describe('readInput without a body', () => {
  it('validates the query string parameters against the route schema, and ignores a body', async () => {
    if (!GET_ROUTE) throw new Error('fixture route missing');
    // Act
    const input = await readInput(
      GET_ROUTE,
      'GET',
      { body: 'not json', isBase64Encoded: false, contentType: undefined },
      { expand: 'yes' },
      10,
    );

    // Assess
    expect(input).toEqual({ expand: 'yes' });
  });

  it('refuses query parameters the schema refuses with field errors', async () => {
    if (!GET_ROUTE) throw new Error('fixture route missing');
    // Act
    const run = () =>
      readInput(
        GET_ROUTE,
        'GET',
        { body: undefined, isBase64Encoded: false, contentType: undefined },
        { expand: 'maybe' },
        10,
      );

    // Assess
    await expect(run()).rejects.toMatchObject({ code: 'validation_failed', errors: [{ path: 'expand' }] });
  });
});

describe('body size', () => {
  it('counts bytes, not characters, and allows exactly the limit', () => {
    // Prepare
    const body = JSON.stringify({ q: 'é'.repeat(10) });
    const bytes = Buffer.byteLength(body);

    // Act / Assess
    expect(codeOf(() => decodeJsonText({ body, isBase64Encoded: false, contentType: JSON_TYPE }, bytes))).toBe(
      'accepted',
    );
    expect(codeOf(() => decodeJsonText({ body, isBase64Encoded: false, contentType: JSON_TYPE }, bytes - 1))).toBe(
      'payload_too_large',
    );
  });

  it('measures a base64 body by its decoded size, before decoding it', () => {
    // Prepare
    for (const length of [1, 2, 3, 4, 5, 100]) {
      const decoded = Buffer.alloc(length, 0x20);
      const body = decoded.toString('base64');

      // Act / Assess
      expect(codeOf(() => decodeJsonText({ body, isBase64Encoded: true, contentType: JSON_TYPE }, length - 1))).toBe(
        'payload_too_large',
      );
    }
  });

  it('refuses an oversized body even when it is not valid base64', () => {
    // Act / Assess
    expect(
      codeOf(() => decodeJsonText({ body: '!'.repeat(2000), isBase64Encoded: true, contentType: JSON_TYPE }, 1000)),
    ).toBe('payload_too_large');
  });
});

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=UTF-8', true],
    ['application/problem+json', true],
    ['application/vnd.api+json;v=1', true],
    ['text/json', false],
    ['application/jsonp', false],
    ['application/x-json-stream', false],
    ['multipart/form-data', false],
    [undefined, false],
  ])('%s → %s', (type, expected) => {
    // Act / Assess
    expect(isJsonMediaType(type)).toBe(expected);
  });
});
