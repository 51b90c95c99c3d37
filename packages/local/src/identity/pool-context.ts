/**
 * What every operation of the local pool works with: its fixed ids, the store, the token issuer,
 * the mailbox, and the SRP exchanges in flight (in memory: one lives only minutes).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { PasswordAttempts } from './attempt-limits';
import { CognitoError, invalidParameter } from './cognito-error';
import { makeVerifier, type PasswordVerifier, type ServerEphemeral, srpPoolName } from './srp';
import type { TokenIssuer } from './tokens';
import type { Mail, MailPurpose, StoredUser, UserStore } from './user-store';

export interface PoolIds {
  region: string;
  userPoolId: string;
  clientId: string;
}

export interface SrpExchange {
  sub: string | undefined;
  /** Whose failures a wrong claim counts against (attempt-limits.ts). */
  attemptKey: string;
  clientId: string;
  A: string;
  ephemeral: ServerEphemeral;
  verifier: PasswordVerifier;
  expiresAt: number;
}

export interface PoolContext {
  ids: PoolIds;
  store: UserStore;
  tokens: TokenIssuer;
  /** Keyed by the challenge's SECRET_BLOCK. */
  srp: Map<string, SrpExchange>;
  /** Keyed by the challenge's Session (NEW_PASSWORD_REQUIRED). */
  sessions: Map<string, { sub: string; clientId: string; expiresAt: number }>;
  /** Failed sign-ins and lockouts (attempt-limits.ts). */
  attempts: PasswordAttempts;
  /** Stands in for an unknown user's verifier, so the work and the answer match a known user's. */
  decoy: { verifier: PasswordVerifier; saltKey: Buffer };
  send(to: string, purpose: MailPurpose, code: string): void;
}

export type Operation = (context: PoolContext, input: Record<string, unknown>) => Promise<unknown> | unknown;

export function newVerifier(ids: PoolIds, sub: string, password: string): PasswordVerifier {
  return makeVerifier(srpPoolName(ids.userPoolId), sub, password);
}

export function deliver(context: PoolContext, user: StoredUser, purpose: MailPurpose, code: string): Mail['to'] {
  const to = user.attributes.email ?? user.sub;
  context.send(to, purpose, code);
  return to;
}

/** How Cognito shows where a code went: `d***@g***`. */
export function codeDelivery(email: string) {
  const [local = '', domain = ''] = email.split('@');
  return {
    Destination: `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`,
    DeliveryMedium: 'EMAIL',
    AttributeName: 'email',
  };
}

export function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

export function requireClient(context: PoolContext, input: Record<string, unknown>): string {
  const clientId = requireString(input, 'ClientId');
  if (clientId !== context.ids.clientId)
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  return clientId;
}

export function requirePool(context: PoolContext, input: Record<string, unknown>): void {
  const poolId = requireString(input, 'UserPoolId');
  if (poolId !== context.ids.userPoolId)
    throw new CognitoError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);
}

export function attributeList(user: StoredUser): Array<{ Name: string; Value: string }> {
  return Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }));
}

/** `UserAttributes: [{Name, Value}]` into a record, with the attributes a user may not set refused. */
export function attributesFrom(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw invalidParameter('UserAttributes must be a list of {Name, Value}');
  const attributes: Record<string, string> = {};
  for (const item of value as Array<{ Name?: unknown; Value?: unknown }>) {
    if (typeof item?.Name !== 'string' || typeof item.Value !== 'string')
      throw invalidParameter('UserAttributes must be a list of {Name, Value}');
    if (item.Name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
    attributes[item.Name] = item.Value;
  }
  return attributes;
}

export const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** What an unknown username is challenged with: a salt stable per username, a verifier no password matches. */
export function decoyVerifier(context: PoolContext, username: string): PasswordVerifier {
  const salt = createHmac('sha256', context.decoy.saltKey)
    .update(username.trim().toLowerCase())
    .digest('hex')
    .slice(0, 32);
  return { salt: /^[89a-f]/.test(salt) ? `00${salt}` : salt, verifier: context.decoy.verifier.verifier };
}

/** A fresh decoy: a verifier for a random user and password, and the key its salts come from. */
export function newDecoy(ids: PoolIds): PoolContext['decoy'] {
  return { verifier: makeVerifier(srpPoolName(ids.userPoolId), randomUUID(), randomUUID()), saltKey: randomBytes(32) };
}
