/**
 * The local identity service: `cognito-local` as a child process on an internal loopback port,
 * seeded with the fixed pool, client and users, behind the refresh front on the public port. Its
 * data lives in `<stateDir>/.cognito/` and survives restarts.
 *
 * The issuer is `http://<host>:<public port>/<poolId>`, the URL the gateway fetches the JWKS from.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { freePort, listen } from '../net/listen';
import { EXIT_WITH_PARENT, pipeLines, stopChild } from '../process/child';
import { createRefreshFront } from './refresh-front';
import { LOCAL_POOL, seedIdentityStore } from './seed';

export interface IdentityOptions {
  host?: string;
  /** The public port (0 picks a free one). */
  port: number;
  stateDir: string;
  onLog?: (line: string) => void;
}

export interface IdentityService {
  /** The Cognito API endpoint (Amplify's `userPoolEndpoint`). */
  endpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwksUri: string;
  /** PID of the emulator process. */
  pid: number | undefined;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const READY_POLL_MS = 50;

export async function startIdentity(options: IdentityOptions): Promise<IdentityService> {
  const host = options.host ?? '127.0.0.1';
  const upstreamPort = await freePort(host);
  const upstream = `http://${host}:${upstreamPort}`;

  // Bind the public port first: a busy port fails fast with its name, before a child exists.
  const front: Server = createRefreshFront(upstream);
  await listen(front, options.port, host, 'identity', '--identity-port');
  const { port } = front.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const issuer = `${endpoint}/${LOCAL_POOL.userPoolId}`;

  seedIdentityStore(options.stateDir, endpoint);
  const child = spawn(process.execPath, [...EXIT_WITH_PARENT, cognitoLocalBin()], {
    cwd: options.stateDir,
    env: { ...process.env, HOST: host, PORT: String(upstreamPort), NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  pipeLines(child, (line) => {
    output.push(line);
    options.onLog?.(line);
  });
  const close = async () => {
    await stopChild(child);
    front.closeAllConnections();
    await new Promise<void>((resolve) => front.close(() => resolve()));
  };
  try {
    await waitUntilServing(`${upstream}/${LOCAL_POOL.userPoolId}/.well-known/jwks.json`, child);
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${output.slice(-20).join('\n')}`);
  }
  return {
    endpoint,
    region: LOCAL_POOL.region,
    userPoolId: LOCAL_POOL.userPoolId,
    clientId: LOCAL_POOL.clientId,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    pid: child.pid,
    close,
  };
}

function cognitoLocalBin(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
}

/** One probe may not outlast this, or a listener that never answers would hold the loop past its deadline. */
const READY_POLL_REQUEST_TIMEOUT_MS = 1_000;

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited with status ${child.exitCode} during start-up`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(READY_POLL_REQUEST_TIMEOUT_MS) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`cognito-local did not answer within ${READY_TIMEOUT_MS / 1000} s`);
}
