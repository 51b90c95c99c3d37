import { describe, expect, it } from 'vitest';
import { isEmailAllowed, parseEmailAllowList } from '../src/email-allow-list';

describe('email allow-list', () => {
  const rules = parseEmailAllowList('Ana@Example.com, @partner.org');

  it.each([
    ['ana@example.com', true, true],
    ['ANA@example.com', true, true],
    ['bo@partner.org', true, true],
    ['bo@sub.partner.org', true, false],
    ['eve@example.com', true, false],
    ['ana@example.com', false, false],
    [undefined, true, false],
  ])('%s (verified %s) → %s', (email, verified, allowed) => {
    expect(isEmailAllowed(rules, email, verified)).toBe(allowed);
  });

  it('takes a list as well as a comma-separated string, and refuses an empty one', () => {
    expect(parseEmailAllowList(['a@b.io', '@c.io'])).toEqual([
      { kind: 'address', address: 'a@b.io' },
      { kind: 'domain', domain: 'c.io' },
    ]);
    expect(() => parseEmailAllowList(' , ')).toThrow(/empty/);
  });
});
