/**
 * The local user pool's fixed identity: an AWS-shaped pool id and app client id that stay the same
 * across restarts (so tokens, the web config and scripts keep working), and two seeded users — the
 * demo user, and an admin in the `admins` group — added when missing, never overwritten.
 */
import { newVerifier, type PoolIds } from './pool-context';
import type { UserStore } from './user-store';

export const LOCAL_POOL = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_GateHouse',
  clientId: 'gatehouselocalwebclient0',
} as const satisfies PoolIds;

export interface SeedUser {
  /** What the user signs in with (the pool uses email as the username). */
  username: string;
  password: string;
  /** The pool's internal username (`cognito:username`), a UUID as on AWS for email pools. */
  sub: string;
  groups: readonly string[];
}

export const DEMO_USER: SeedUser = {
  username: 'demo@gatehouse.local',
  password: 'Gatehouse-demo-1',
  sub: '5f0c1a6e-0d2b-4c8e-9a51-6d8f2b7e4c01',
  groups: [],
};

export const ADMIN_USER: SeedUser = {
  username: 'admin@gatehouse.local',
  password: 'Gatehouse-admin-1',
  sub: '8b3d9e27-4f1a-4e6c-b2d0-1c7a5e9f3b02',
  groups: ['admins'],
};

export const SEED_USERS: readonly SeedUser[] = [DEMO_USER, ADMIN_USER];

export function seedUsers(store: UserStore): void {
  for (const seed of SEED_USERS) {
    const user =
      store.find(seed.sub) ??
      store.create(
        seed.username,
        newVerifier(LOCAL_POOL, seed.sub, seed.password),
        'CONFIRMED',
        { email_verified: 'true' },
        seed.sub,
      );
    for (const group of seed.groups) {
      if (!store.group(group)) store.createGroup(group);
      if (!store.groupsOf(user).includes(group)) store.setMembership(user, group, true);
    }
  }
}
