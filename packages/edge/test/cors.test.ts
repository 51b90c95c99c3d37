import { SAMPLE_API } from '@gatehouse/testing';
import { describe, expect, it } from 'vitest';
import { isPreflight, preflightHeaders, responseCorsHeaders } from '../src/cors';

describe('cors', () => {
  it('recognises a preflight only with Origin and Access-Control-Request-Method', () => {
    // Act / Assess
    expect(isPreflight('OPTIONS', { origin: 'https://a.example', 'access-control-request-method': 'POST' })).toBe(true);
    expect(isPreflight('OPTIONS', { origin: 'https://a.example' })).toBe(false);
    expect(isPreflight('OPTIONS', { 'access-control-request-method': 'POST' })).toBe(false);
    expect(isPreflight('POST', { origin: 'https://a.example', 'access-control-request-method': 'POST' })).toBe(false);
  });

  it("answers a preflight from the contract's CORS description, echoing the origin", () => {
    // Act
    const headers = preflightHeaders('https://a.example', 'cognito', SAMPLE_API.cors.allowMethods);

    // Assess
    expect(headers).toEqual({
      'access-control-allow-origin': 'https://a.example',
      'access-control-allow-methods': SAMPLE_API.cors.allowMethods.join(', '),
      'access-control-allow-headers': SAMPLE_API.cors.allowHeaders.join(', '),
      'access-control-max-age': String(SAMPLE_API.cors.maxAgeSeconds),
      vary: 'Origin',
    });
  });

  it('lets browsers send the headers the auth mode needs, as the gateway does', () => {
    // Act
    const keys = preflightHeaders('https://a.example', 'lambda', SAMPLE_API.cors.allowMethods)[
      'access-control-allow-headers'
    ];
    const iam = preflightHeaders('https://a.example', 'iam', SAMPLE_API.cors.allowMethods)[
      'access-control-allow-headers'
    ];

    // Assess
    expect(keys?.split(', ')).toEqual([...SAMPLE_API.cors.allowHeaders, 'x-api-key']);
    expect(iam?.split(', ')).toEqual([
      ...SAMPLE_API.cors.allowHeaders,
      'x-amz-date',
      'x-amz-security-token',
      'x-amz-content-sha256',
    ]);
  });

  it('adds allow-origin and expose-headers only for an allowed origin, and Vary always', () => {
    // Act
    const allowed = responseCorsHeaders('https://a.example', true);
    const refused = responseCorsHeaders('https://evil.example', false);
    const none = responseCorsHeaders(undefined, false);

    // Assess
    expect(allowed).toEqual({
      'access-control-allow-origin': 'https://a.example',
      'access-control-expose-headers': 'x-request-id, server-timing, retry-after, location',
      vary: 'Origin',
    });
    expect(refused).toEqual({ vary: 'Origin' });
    expect(none).toEqual({ vary: 'Origin' });
  });
});
