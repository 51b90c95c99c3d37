/**
 * The local pool's data — users (with an SRP verifier, never a password), groups, refresh tokens
 * (kept as SHA-256 digests) and the mailbox — in one JSON file, `<stateDir>/.cognito/pool.json`,
 * rewritten atomically after every change so a stopped stack loses nothing.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PasswordVerifier } from './srp';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';
export type CodePurpose = 'signUp' | 'resetPassword' | 'verifyEmail';

export interface PendingCode {
  code: string;
  expiresAt: number;
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

interface PoolData {
  users: Record<string, StoredUser>;
  groups: Record<string, StoredGroup>;
  refreshTokens: Record<string, StoredRefreshToken>;
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
    const bySub = this.data.users[username];
    if (bySub) return bySub;
    return Object.values(this.data.users).find((u) => u.attributes.email?.toLowerCase() === wanted);
  }

  users(): StoredUser[] {
    return Object.values(this.data.users);
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
    this.data.users[sub] = user;
    this.save();
    return user;
  }

  update(user: StoredUser, change: (user: StoredUser) => void): void {
    change(user);
    user.modified = new Date().toISOString();
    this.save();
  }

  delete(user: StoredUser): void {
    delete this.data.users[user.sub];
    for (const group of Object.values(this.data.groups)) group.members = group.members.filter((m) => m !== user.sub);
    for (const [digest, token] of Object.entries(this.data.refreshTokens))
      if (token.sub === user.sub) delete this.data.refreshTokens[digest];
    this.save();
  }

  issueCode(user: StoredUser, purpose: CodePurpose): string {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.update(user, (u) => {
      u.codes[purpose] = { code, expiresAt: Date.now() + CODE_LIFETIME_MS[purpose] };
    });
    return code;
  }

  /** 'ok' spends the code; a code is good once. */
  useCode(user: StoredUser, purpose: CodePurpose, code: string): 'ok' | 'mismatch' | 'expired' {
    const pending = user.codes[purpose];
    if (!pending || pending.code !== code.trim()) return 'mismatch';
    if (pending.expiresAt < Date.now()) return 'expired';
    this.update(user, (u) => {
      delete u.codes[purpose];
    });
    return 'ok';
  }

  groups(): Record<string, StoredGroup> {
    return this.data.groups;
  }

  groupsOf(user: StoredUser): string[] {
    return Object.entries(this.data.groups)
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
    this.data.groups[name] = group;
    this.save();
    return group;
  }

  setMembership(user: StoredUser, groupName: string, member: boolean): void {
    const group = this.data.groups[groupName];
    if (!group) return;
    group.members = group.members.filter((m) => m !== user.sub);
    if (member) group.members.push(user.sub);
    this.save();
  }

  saveRefreshToken(token: string, entry: StoredRefreshToken): void {
    this.data.refreshTokens[digest(token)] = entry;
    this.save();
  }

  refreshToken(token: string): StoredRefreshToken | undefined {
    const entry = this.data.refreshTokens[digest(token)];
    return entry && entry.expiresAt > Date.now() ? entry : undefined;
  }

  revokeRefreshTokens(match: (entry: StoredRefreshToken, digest: string) => boolean): void {
    for (const [key, entry] of Object.entries(this.data.refreshTokens))
      if (match(entry, key) || entry.expiresAt <= Date.now()) delete this.data.refreshTokens[key];
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
    writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

export function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function readPool(file: string): PoolData {
  let stored: Partial<PoolData> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<PoolData>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`the identity store ${file} is not readable JSON; move it away to start afresh`, {
        cause: error,
      });
  }
  return {
    users: stored.users ?? {},
    groups: stored.groups ?? {},
    refreshTokens: stored.refreshTokens ?? {},
    mailbox: stored.mailbox ?? [],
  };
}
