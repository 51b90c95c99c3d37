import { describe, expect, it } from 'vitest';
import { formatAllowedOrigins, isOriginAllowed, OriginListError, parseAllowedOrigins } from '../src/origins';

describe('parseAllowedOrigins', () => {
  it('parses exact origins and scheme prefixes from a comma-separated list', () => {
    const rules = parseAllowedOrigins(' https://app.example.com, http://localhost:5173 ,https://*');
    expect(rules).toEqual([
      { kind: 'exact', origin: 'https://app.example.com' },
      { kind: 'exact', origin: 'http://localhost:5173' },
      { kind: 'scheme', scheme: 'https:' },
    ]);
    expect(formatAllowedOrigins(rules)).toBe('https://app.example.com,http://localhost:5173,https://*');
  });

  it.each([
    ['*', /"\*" is not accepted/],
    ['', /empty/],
    [' , ', /empty/],
    ['app.example.com', /not an origin/],
    ['https://app.example.com/', /not a bare origin/],
    ['https://app.example.com/path', /not a bare origin/],
    ['https://App.Example.com', /not a bare origin/],
    ['ftp://files.example.com', /not an http\(s\) origin/],
  ])('refuses %j', (list, message) => {
    expect(() => parseAllowedOrigins(list)).toThrow(OriginListError);
    expect(() => parseAllowedOrigins(list)).toThrow(message);
  });
});

describe('isOriginAllowed', () => {
  const rules = parseAllowedOrigins('https://app.example.com,http://*');

  it.each([
    ['https://app.example.com', true],
    ['http://localhost:5173', true],
    ['https://evil.example.com', false],
    ['https://app.example.com.evil.com', false],
    ['https://app.example.com:8443', false],
    ['null', false],
    ['', false],
    [undefined, false],
    ['http://host/path', false],
  ])('%j → %s', (origin, allowed) => {
    expect(isOriginAllowed(rules, origin)).toBe(allowed);
  });
});
