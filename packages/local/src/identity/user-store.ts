/**
 * The local pool's data — users (with an SRP verifier, never a password), groups, refresh tokens
 * (kept as SHA-256 digests) and the mailbox — in one JSON file, `<stateDir>/.cognito/pool.json`,
 * rewritten atomically after every change so a stopped stack loses nothing.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CodeCheck, FREE_FAILURES } from './attempt-limits';
import type { PasswordVerifier } from './srp';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';
export type CodePurpose = 'signUp' | 'resetPassword' | 'verifyEmail';

export interface PendingCode {
  code: string;
  expiresAt: number;
  /** Wrong tries so far (attempt-limits.ts). */
  failures?: number;
}

export interface StoredUser {
  /** Also the internal username (`cognito:username`, `USER_ID_FOR_SRP`), as for email-username pools. */
  sub: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  password: PasswordVerifier;
  codes: Partial<Record<CodePurpose, PendingCode>>;
  created: string;
  modified: string;
  /**
   * The sign-in sessions alive (`origin_jti` of their tokens): RevokeToken ends one, GlobalSignOut
   * all, and an access token from an ended session is refused by the user operations, as on AWS.
   */
  sessions: string[];
}

export interface StoredGroup {
  description?: string;
  created: string;
  members: string[];
}

export interface StoredRefreshToken {
  sub: string;
  originJti: string;
  clientId: string;
  expiresAt: number;
}

export type MailPurpose = 'sign-up code' | 'password reset code' | 'verification code' | 'temporary password';

export interface Mail {
  to: string;
  purpose: MailPurpose;
  code: string;
  /** ISO 8601. */
  time: string;
}

/**
 * Keyed by names callers choose (`__proto__`, `constructor`, `toString` are usernames and group
 * names like any other), so in memory they are Maps, never object properties.
 */
interface PoolData {
  users: Map<string, StoredUser>;
  groups: Map<string, StoredGroup>;
  refreshTokens: Map<string, StoredRefreshToken>;
  mailbox: Mail[];
}

export const POOL_FILE = 'pool.json';
/** Cognito's codes for sign-up and password reset live 24 hours (reset codes: 1 hour). */
const CODE_LIFETIME_MS: Record<CodePurpose, number> = {
  signUp: 24 * 3600_000,
  resetPassword: 3600_000,
  verifyEmail: 24 * 3600_000,
};
/** The mailbox is for reading the last few messages, not an archive. */
const MAILBOX_LIMIT = 200;

export class UserStore {
  private readonly file: string;
  private data: PoolData;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, '.cognito', POOL_FILE);
    this.data = readPool(this.file);
  }

  /** By email (case-insensitive, as a new pool's usernames are) or by the internal username. */
  find(username: string): StoredUser | undefined {
    const wanted = username.trim().toLowerCase();
    const bySub = this.data.users.get(username);
    if (bySub) return bySub;
    return [...this.data.users.values()].find((u) => u.attributes.email?.toLowerCase() === wanted);
  }

  users(): StoredUser[] {
    return [...this.data.users.values()];
  }

  create(
    email: string,
    password: PasswordVerifier,
    status: UserStatus,
    attributes: Record<string, string>,
    sub: string = randomUUID(),
  ): StoredUser {
    const now = new Date().toISOString();
    const user: StoredUser = {
      sub,
      attributes: { ...attributes, email, sub },
      status,
      enabled: true,
      password,
      codes: {},
      sessions: [],
      created: now,
      modified: now,
    };
    this.data.users.set(sub, user);
    this.save();
    return user;
  }

  update(user: StoredUser, change: (user: StoredUser) => void): void {
    change(user);
    user.modified = new Date().toISOString();
    this.save();
  }

  delete(user: StoredUser): void {
    this.data.users.delete(user.sub);
    for (const group of this.data.groups.values()) group.members = group.members.filter((m) => m !== user.sub);
    for (const [digest, token] of this.data.refreshTokens)
      if (token.sub === user.sub) this.data.refreshTokens.delete(digest);
    this.save();
  }

  issueCode(user: StoredUser, purpose: CodePurpose): string {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.update(user, (u) => {
      u.codes[purpose] = { code, expiresAt: Date.now() + CODE_LIFETIME_MS[purpose] };
    });
    return code;
  }

  /** 'ok' spends the code; a code is good once, and spent by its fifth wrong try (attempt-limits.ts). */
  useCode(user: StoredUser, purpose: CodePurpose, code: string): CodeCheck {
    const pending = user.codes[purpose];
    if (!pending) return 'mismatch';
    if ((pending.failures ?? 0) >= FREE_FAILURES) return 'spent';
    if (pending.code !== code.trim()) {
      const failures = (pending.failures ?? 0) + 1;
      this.update(user, (u) => {
        u.codes[purpose] = { ...pending, failures };
      });
      return failures >= FREE_FAILURES ? 'too-many' : 'mismatch';
    }
    if (pending.expiresAt < Date.now()) return 'expired';
    this.update(user, (u) => {
      delete u.codes[purpose];
    });
    return 'ok';
  }

  group(name: string): StoredGroup | undefined {
    return this.data.groups.get(name);
  }

  groups(): [string, StoredGroup][] {
    return [...this.data.groups];
  }

  groupsOf(user: StoredUser): string[] {
    return [...this.data.groups]
      .filter(([, group]) => group.members.includes(user.sub))
      .map(([name]) => name)
      .sort();
  }

  createGroup(name: string, description?: string): StoredGroup {
    const group: StoredGroup = {
      ...(description ? { description } : {}),
      created: new Date().toISOString(),
      members: [],
    };
    this.data.groups.set(name, group);
    this.save();
    return group;
  }

  setMembership(user: StoredUser, groupName: string, member: boolean): void {
    const group = this.data.groups.get(groupName);
    if (!group) return;
    group.members = group.members.filter((m) => m !== user.sub);
    if (member) group.members.push(user.sub);
    this.save();
  }

  saveRefreshToken(token: string, entry: StoredRefreshToken): void {
    this.data.refreshTokens.set(digest(token), entry);
    this.save();
  }

  refreshToken(token: string): StoredRefreshToken | undefined {
    const entry = this.data.refreshTokens.get(digest(token));
    return entry && entry.expiresAt > Date.now() ? entry : undefined;
  }

  revokeRefreshTokens(match: (entry: StoredRefreshToken, digest: string) => boolean): void {
    for (const [key, entry] of this.data.refreshTokens)
      if (match(entry, key) || entry.expiresAt <= Date.now()) this.data.refreshTokens.delete(key);
    this.save();
  }

  deliver(mail: Mail): void {
    this.data.mailbox = [mail, ...this.data.mailbox].slice(0, MAILBOX_LIMIT);
    this.save();
  }

  /** Newest first. */
  mailbox(): Mail[] {
    return [...this.data.mailbox];
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const stored = {
      users: Object.fromEntries(this.data.users),
      groups: Object.fromEntries(this.data.groups),
      refreshTokens: Object.fromEntries(this.data.refreshTokens),
      mailbox: this.data.mailbox,
    };
    writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

export function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `pool.json`: the same data with plain objects (JSON.parse makes `__proto__` an own key). */
interface StoredPool {
  users: Record<string, StoredUser>;
  groups: Record<string, StoredGroup>;
  refreshTokens: Record<string, StoredRefreshToken>;
  mailbox: Mail[];
}

function readPool(file: string): PoolData {
  let stored: Partial<StoredPool> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredPool>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`the identity store ${file} is not readable JSON; move it away to start afresh`, {
        cause: error,
      });
  }
  return {
    users: new Map(Object.entries(stored.users ?? {})),
    groups: new Map(Object.entries(stored.groups ?? {})),
    refreshTokens: new Map(Object.entries(stored.refreshTokens ?? {})),
    mailbox: stored.mailbox ?? [],
  };
}
