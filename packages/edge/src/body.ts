/**
 * The request body, from the gateway's event to a parsed JSON value, refusing in this order: no
 * body (400), not JSON by content type (415), over `MAX_BODY_BYTES` (413, measured before anything
 * is decoded or parsed), bad base64 (400), bad UTF-8 or JSON (400). The route's schema runs next
 * (input.ts).
 */
import { Rejection } from './rejection';

export interface RawBody {
  body: string | undefined | null;
  isBase64Encoded: boolean | undefined;
  contentType: string | undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readJsonBody(raw: RawBody, maxBodyBytes: number): unknown {
  const text = decodeJsonText(raw, maxBodyBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new Rejection('invalid_json', 'The body is not valid JSON.');
  }
}

/** The body as text, checked for presence, media type, size and encoding. */
export function decodeJsonText(raw: RawBody, maxBodyBytes: number): string {
  const body = typeof raw.body === 'string' ? raw.body : '';
  if (body === '') throw new Rejection('body_missing', 'Send a JSON object in the request body.');
  if (!isJsonMediaType(raw.contentType)) {
    throw new Rejection(
      'unsupported_media_type',
      `The body must be sent as application/json (got ${raw.contentType ? `"${raw.contentType.slice(0, 100)}"` : 'no Content-Type'}).`,
    );
  }
  const size = raw.isBase64Encoded ? base64DecodedLength(body) : Buffer.byteLength(body, 'utf8');
  if (size > maxBodyBytes) {
    throw new Rejection('payload_too_large', `The body is ${size} bytes; the limit is ${maxBodyBytes}.`);
  }
  const text = raw.isBase64Encoded ? decodeBase64Utf8(body) : body;
  if (text.trim() === '') throw new Rejection('body_missing', 'Send a JSON object in the request body.');
  return text;
}

/** `application/json` and any `+json` type (`application/vnd.api+json`), parameters allowed. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(essence);
}

function base64DecodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

function decodeBase64Utf8(text: string): string {
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    throw new Rejection('invalid_body_encoding', 'The body is marked base64-encoded but is not valid base64.');
  }
  try {
    return utf8.decode(Buffer.from(text, 'base64'));
  } catch {
    throw new Rejection('invalid_json', 'The body is not valid UTF-8 text.');
  }
}
