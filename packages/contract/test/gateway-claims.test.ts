import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeClaims,
  encodeClaimValue,
  parseBooleanClaim,
  parseListClaim,
  parseNumberClaim,
} from '../src/gateway-claims';

describe('encodeClaims (what the gateway hands the Lambda)', () => {
  it('turns every claim into a string, arrays into "[a b]"', () => {
    expect(
      encodeClaims({ sub: 'abc', exp: 1787996002, email_verified: true, 'cognito:groups': ['admins', 'users'] }),
    ).toEqual({ sub: 'abc', exp: '1787996002', email_verified: 'true', 'cognito:groups': '[admins users]' });
  });

  it('renders nested objects in the map form', () => {
    expect(encodeClaimValue({ a: 1, b: 'x' })).toBe('{a=1, b=x}');
  });
});

describe('parseListClaim', () => {
  it.each([
    ['[admins users]', ['admins', 'users']],
    ['[admins]', ['admins']],
    ['[]', []],
    ['', []],
    ['["admins","users"]', ['admins', 'users']],
    ['admins,users', ['admins', 'users']],
    [
      ['admins', 'users'],
      ['admins', 'users'],
    ],
    [undefined, []],
    [42, []],
  ])('%j → %j', (value, expected) => {
    expect(parseListClaim(value)).toEqual(expected);
  });

  it('reads back what the gateway encodes, for any list of group names', () => {
    const groupName = fc.stringMatching(/^[\w+=,.@-]{1,32}$/);
    fc.assert(
      fc.property(fc.array(groupName, { maxLength: 10 }), (groups) => {
        expect(parseListClaim(encodeClaimValue(groups))).toEqual(groups);
      }),
    );
  });
});

describe('scalar claims', () => {
  it('parses numbers and booleans that arrive as strings', () => {
    expect(parseNumberClaim('1787996002')).toBe(1787996002);
    expect(parseNumberClaim(17)).toBe(17);
    expect(parseNumberClaim('soon')).toBeUndefined();
    expect(parseNumberClaim('')).toBeUndefined();
    expect(parseBooleanClaim('true')).toBe(true);
    expect(parseBooleanClaim('false')).toBe(false);
    expect(parseBooleanClaim('yes')).toBeUndefined();
  });
});
