import { API } from '@gatehouse/contract';
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
    const headers = preflightHeaders('https://a.example', 'cognito', API.cors.allowMethods);

    // Assess
    expect(headers).toEqual({
      'access-control-allow-origin': 'https://a.example',
      'access-control-allow-methods': API.cors.allowMethods.join(', '),
      'access-control-allow-headers': API.cors.allowHeaders.join(', '),
      'access-control-max-age': String(API.cors.maxAgeSeconds),
      vary: 'Origin',
    });
  });

  it('lets browsers send the headers the auth mode needs, as the gateway does', () => {
    // Act
    const keys = preflightHeaders('https://a.example', 'lambda', API.cors.allowMethods)['access-control-allow-headers'];
    const iam = preflightHeaders('https://a.example', 'iam', API.cors.allowMethods)['access-control-allow-headers'];

    // Assess
    expect(keys?.split(', ')).toEqual([...API.cors.allowHeaders, 'x-api-key']);
    expect(iam?.split(', ')).toEqual([
      ...API.cors.allowHeaders,
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
