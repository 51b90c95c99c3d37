import { describe, expect, it } from 'vitest';
import { RoutePathError, retryAfterSeconds, routeTarget } from '../src/index';

describe('routeTarget', () => {
  it('fills each parameter as one encoded segment and a greedy one segment by segment', () => {
    expect(routeTarget('GET /items/{id}', { id: '../admin?x=1' })).toEqual({
      method: 'GET',
      path: '/items/..%2Fadmin%3Fx%3D1',
    });
    expect(routeTarget('ANY /files/{proxy+}', { proxy: 'a/b#c' }, {}, 'PUT')).toEqual({
      method: 'PUT',
      path: '/files/a/b%23c',
    });
  });

  it('writes the query string, repeating array values and leaving out undefined ones', () => {
    expect(routeTarget('GET /search', {}, { q: 'a b', tag: ['x', 'y'], skip: undefined }).path).toBe(
      '/search?q=a+b&tag=x&tag=y',
    );
  });

  it('refuses a bad key, a missing parameter and an empty one', () => {
    expect(() => routeTarget('/items', {})).toThrow(RoutePathError);
    expect(() => routeTarget('GET /items/{id}', {})).toThrow(/\{id\}/);
    expect(() => routeTarget('GET /items/{id}', { id: '' })).toThrow(/empty/);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(retryAfterSeconds('30', now)).toBe(30);
    expect(retryAfterSeconds('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });
});
