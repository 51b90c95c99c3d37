/**
 * Cognito's limits on guessing, applied as AWS documents them, so an app meets them locally first:
 *
 * - **Passwords**: after five failed sign-ins a user is locked out for 1 second, doubling with each
 *   further failure up to about 15 minutes; a sign-in during the lockout — the right password
 *   included — is refused with `NotAuthorizedException: Password attempts exceeded`. A successful
 *   sign-in resets the count. Unknown usernames are counted and locked out alike, so the lockout
 *   tells nobody which users exist (`PreventUserExistenceErrors`).
 * - **Codes** (sign-up, password reset, email verification): a code survives five wrong tries; the
 *   fifth spends it (`TooManyFailedAttemptsException`) and every try after that is refused with
 *   `LimitExceededException` until a new code is sent — the right old code included.
 *
 * Pending SRP exchanges are bounded too (see `boundExchanges`): each holds a big-number
 * ephemeral, and `InitiateAuth` needs no password, so an unbounded map is memory for the asking.
 */
import { CognitoError } from './cognito-error';

export const FREE_FAILURES = 5;
const FIRST_LOCKOUT_MS = 1_000;
const MAX_LOCKOUT_MS = 15 * 60_000;
/** Users (known or not) whose failures are remembered; the oldest are forgotten past it. */
const MAX_TRACKED = 10_000;
/** Pending `PASSWORD_VERIFIER` and `NEW_PASSWORD_REQUIRED` challenges kept at most. */
export const MAX_PENDING_CHALLENGES = 1_000;

export class PasswordAttempts {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Refuses a sign-in while `key` (a user's sub, or an unknown username) is locked out. */
  check(key: string): void {
    const entry = this.failures.get(key);
    if (entry && entry.lockedUntil > this.now())
      throw new CognitoError('NotAuthorizedException', 'Password attempts exceeded');
  }

  failed(key: string): void {
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const lockout =
      count < FREE_FAILURES ? 0 : Math.min(FIRST_LOCKOUT_MS * 2 ** (count - FREE_FAILURES), MAX_LOCKOUT_MS);
    this.failures.delete(key);
    this.failures.set(key, { count, lockedUntil: this.now() + lockout });
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}

/** Drops the oldest entries (Maps keep insertion order) so that at most `limit` remain. */
export function boundExchanges(pending: Map<string, unknown>, limit = MAX_PENDING_CHALLENGES): void {
  for (const key of pending.keys()) {
    if (pending.size <= limit) return;
    pending.delete(key);
  }
}

export type CodeCheck = 'ok' | 'mismatch' | 'expired' | 'too-many' | 'spent';

/** The error a failed code check answers with; nothing for `ok`. */
export function checkCode(result: CodeCheck): void {
  switch (result) {
    case 'ok':
      return;
    case 'mismatch':
      throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    case 'expired':
      throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    case 'too-many':
      throw new CognitoError('TooManyFailedAttemptsException', 'Too many failed attempts; request a new code.');
    case 'spent':
      throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  }
}
