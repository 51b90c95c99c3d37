/**
 * The local identity service: a Cognito user pool emulator in this process, serving exactly the
 * operations Amplify v6, the Authenticator and gatehouse use (SRP included), with its data, its
 * signing key and its mailbox in `<stateDir>/.cognito/`, kept across restarts.
 *
 * The issuer is `http://<host>:<port>/<poolId>`, the URL the gateway fetches the JWKS from.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LocalCredential, loadLocalCredential } from '../iam';
import { listen } from '../net/listen';
import { PasswordAttempts } from './attempt-limits';
import { identityHandler, MAILBOX_PATH } from './identity-server';
import { newDecoy, type PoolContext } from './pool-context';
import { LOCAL_POOL, seedUsers } from './seed';
import { loadSigningKey } from './signing-key';
import { tokenIssuer } from './tokens';
import { type Mail, UserStore } from './user-store';

export interface IdentityOptions {
  host?: string;
  /** The public port (0 picks a free one). */
  port: number;
  stateDir: string;
  /**
   * Origins whose pages may call the pool and read the mailbox (exact match). Default none: only
   * callers that send no `Origin` (scripts, servers, tests) get answers.
   */
  allowedOrigins?: readonly string[];
  /** Who may call admin operations (SigV4); default the state directory's `iam-credentials.json`. */
  adminCredential?: LocalCredential;
  /** One line per operation (status and error type; never a token or password). */
  onLog?: (line: string) => void;
  /** Called for each request refused for its `Origin`. */
  onRefusedOrigin?: (origin: string) => void;
  /** Every message Cognito would have sent, as it is recorded in the mailbox. */
  onMail?: (mail: Mail, line: string) => void;
}

export interface IdentityService {
  /** The Cognito API endpoint (Amplify's `userPoolEndpoint`). */
  endpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwksUri: string;
  /** Where the local web app reads the mailbox. */
  mailboxUrl: string;
  /** Undefined: the service runs in the stack's own process, with no child to signal. */
  pid: number | undefined;
  close(): Promise<void>;
}

/** The one line a developer sees in `gatehouse dev` for each message. */
export function mailLine(mail: Mail): string {
  return `mail to ${mail.to} — ${mail.purpose} ${mail.code}`;
}

export async function startIdentity(options: IdentityOptions): Promise<IdentityService> {
  const host = options.host ?? '127.0.0.1';
  const store = new UserStore(options.stateDir);
  seedUsers(store);
  const key = await loadSigningKey(options.stateDir);
  // The issuer names the port, so the server binds before it learns how to answer.
  const server = createServer();
  await listen(server, options.port, host, 'identity', '--identity-port');
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const issuer = `${endpoint}/${LOCAL_POOL.userPoolId}`;
  const context: PoolContext = {
    ids: LOCAL_POOL,
    store,
    tokens: tokenIssuer(issuer, key, store),
    srp: new Map(),
    sessions: new Map(),
    attempts: new PasswordAttempts(),
    decoy: newDecoy(LOCAL_POOL),
    send(to, purpose, code) {
      const mail: Mail = { to, purpose, code, time: new Date().toISOString() };
      store.deliver(mail);
      options.onMail?.(mail, mailLine(mail));
    },
  };
  server.on(
    'request',
    identityHandler({
      context,
      issuer,
      key,
      allowedOrigins: options.allowedOrigins ?? [],
      adminCredential: options.adminCredential ?? loadLocalCredential(options.stateDir),
      ...(options.onLog ? { onLog: options.onLog } : {}),
      ...(options.onRefusedOrigin ? { onRefusedOrigin: options.onRefusedOrigin } : {}),
    }),
  );
  return {
    endpoint,
    region: LOCAL_POOL.region,
    userPoolId: LOCAL_POOL.userPoolId,
    clientId: LOCAL_POOL.clientId,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    mailboxUrl: `${endpoint}${MAILBOX_PATH}`,
    pid: undefined,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
