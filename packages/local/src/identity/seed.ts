/**
 * The local user pool's fixed identity: an AWS-shaped pool id and app client id that stay the same
 * across restarts (so tokens, the web config and scripts keep working), the app client's token
 * lifetimes as on AWS, and two seeded users. Written straight into `cognito-local`'s data files
 * because pools made through its API get random `local_…` ids.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCAL_POOL = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_GateHouse',
  clientId: 'gatehouselocalwebclient0',
  clientName: 'gatehouse-web',
} as const;

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

export const TOKEN_VALIDITY_SECONDS = 3600;

/** One hour for access and ID tokens, 30 days for refresh: AWS's defaults, with units spelled out. */
const APP_CLIENT = {
  ClientId: LOCAL_POOL.clientId,
  ClientName: LOCAL_POOL.clientName,
  UserPoolId: LOCAL_POOL.userPoolId,
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  AccessTokenValidity: 1,
  IdTokenValidity: 1,
  RefreshTokenValidity: 30,
  TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
  EnableTokenRevocation: true,
  PreventUserExistenceErrors: 'ENABLED',
};

type Json = Record<string, unknown>;

function readJson(file: string): Json {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : {};
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes the emulator's config (issuer domain) and makes sure the pool, the client and the seed
 * users exist — adding what is missing, never touching users or data someone added since.
 */
export function seedIdentityStore(stateDir: string, issuerDomain: string): void {
  const root = path.join(stateDir, '.cognito');
  const db = path.join(root, 'db');
  mkdirSync(db, { recursive: true });
  const configFile = path.join(root, 'config.json');
  writeJson(configFile, { ...readJson(configFile), TokenConfig: { IssuerDomain: issuerDomain } });

  const clientsFile = path.join(db, 'clients.json');
  const clients = readJson(clientsFile);
  const byId = (clients.Clients ?? {}) as Json;
  byId[LOCAL_POOL.clientId] = {
    ...APP_CLIENT,
    ...(byId[LOCAL_POOL.clientId] as Json | undefined),
    TokenValidityUnits: APP_CLIENT.TokenValidityUnits,
  };
  writeJson(clientsFile, { ...clients, Clients: byId });

  const poolFile = path.join(db, `${LOCAL_POOL.userPoolId}.json`);
  const pool = readJson(poolFile);
  const now = new Date().toISOString();
  const users = (pool.Users ?? {}) as Json;
  const groups = (pool.Groups ?? {}) as Record<string, Json>;
  for (const user of SEED_USERS) {
    users[user.sub] ??= {
      Username: user.sub,
      Password: user.password,
      Attributes: [
        { Name: 'email', Value: user.username },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'sub', Value: user.sub },
      ],
      Enabled: true,
      UserStatus: 'CONFIRMED',
      UserCreateDate: now,
      UserLastModifiedDate: now,
      RefreshTokens: [],
    };
    for (const groupName of user.groups) {
      groups[groupName] ??= { GroupName: groupName, CreationDate: now, LastModifiedDate: now, members: [] };
      const group = groups[groupName];
      const members = (group.members ?? []) as string[];
      if (!members.includes(user.sub)) group.members = [...members, user.sub];
    }
  }
  const options = {
    Id: LOCAL_POOL.userPoolId,
    Name: 'gatehouse-local',
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    ...(pool.Options as Json | undefined),
  };
  writeJson(poolFile, { ...pool, Options: options, Users: users, Groups: groups });
}
