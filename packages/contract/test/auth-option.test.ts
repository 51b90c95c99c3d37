/** `authOptionProblem`: the one validation of the `auth` option that the construct and the local stack share. */
import { describe, expect, it } from 'vitest';
import { type AuthOption, apiKeysParameterName, authOptionProblem } from '../src';

describe('authOptionProblem', () => {
  it.each<AuthOption>([
    { mode: 'cognito' },
    { mode: 'iam' },
    { mode: 'none', acknowledgePublic: true },
    { mode: 'lambda', lambda: { kind: 'email-allowlist', allowedEmails: ['a@example.com', '@example.org'] } },
    { mode: 'lambda', lambda: { kind: 'api-key' } },
    { mode: 'lambda', lambda: { kind: 'api-key', keysParameterName: '/team/keys', cacheSeconds: 0 } },
  ])('accepts %j', (auth) => {
    expect(authOptionProblem(auth)).toBeUndefined();
  });

  it.each<[AuthOption, RegExp]>([
    [{ mode: 'none', acknowledgePublic: false }, /public.*acknowledgePublic: true/],
    [{ mode: 'lambda', lambda: { kind: 'email-allowlist', allowedEmails: [] } }, /allowedEmails is empty/],
    [
      { mode: 'lambda', lambda: { kind: 'email-allowlist', allowedEmails: ['example.org'] } },
      /"example.org" is neither an email address nor a domain written as @example.com/,
    ],
    [{ mode: 'lambda', lambda: { kind: 'email-allowlist', allowedEmails: ['ana@corp'] } }, /"ana@corp" is neither/],
    [{ mode: 'lambda', lambda: { kind: 'api-key', cacheSeconds: 3601 } }, /cacheSeconds must be 0–3600/],
    [{ mode: 'lambda', lambda: { kind: 'api-key', cacheSeconds: 1.5 } }, /cacheSeconds must be 0–3600/],
    [{ mode: 'lambda', lambda: { kind: 'api-key', keysParameterName: 'keys' } }, /must be an absolute SSM path/],
    [{ mode: 'open' } as unknown as AuthOption, /auth must be one of cognito, lambda, iam, none/],
  ])('refuses %j', (auth, message) => {
    expect(authOptionProblem(auth)).toMatch(message);
  });

  it('defaults the keys parameter to the contract one', () => {
    expect(apiKeysParameterName({})).toBe('/gatehouse/api-keys');
    expect(apiKeysParameterName({ keysParameterName: '/x' })).toBe('/x');
  });
});
