/**
 * The credentials endpoint local cores fetch their AWS credentials from, as Lambda's container
 * provider serves them: each execution environment gets its own URL and bearer token
 * (`AWS_CONTAINER_CREDENTIALS_FULL_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN`), which boto3 and the
 * JS SDK read and refresh from by themselves. Only loopback, only its own `Host`, never a browser
 * (`Origin`), never without the environment's token — and a token dies with its environment.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { devNull } from 'node:os';
import type { CredentialIssuer } from '../lambda/function-definition';
import { listen } from '../net/listen';
import type { CoreCredentialSource } from './core-credential-source';

export interface CredentialsEndpoint {
  url: string;
  /** What a core's environments are given: a URL and a token each, for this core's credentials. */
  issuerFor(core: string, source: CoreCredentialSource): CredentialIssuer;
  close(): Promise<void>;
}

export interface CredentialsEndpointOptions {
  /** Once per core and cause: why its credentials could not be had, and what to run. */
  onProblem?: (core: string, line: string) => void;
}

const HOST = '127.0.0.1';
const PATH = /^\/credentials\/([a-f0-9]{16})$/;

interface Grant {
  core: string;
  token: Buffer;
  source: CoreCredentialSource;
}

export async function startCredentialsEndpoint(options: CredentialsEndpointOptions = {}): Promise<CredentialsEndpoint> {
  const grants = new Map<string, Grant>();
  const reported = new Map<string, string>();
  let port = 0;

  const report = (core: string, line: string) => {
    if (reported.get(core) === line) return;
    reported.set(core, line);
    options.onProblem?.(core, line);
  };

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const grant = admitted(req, grants, port);
    if (typeof grant === 'number') return send(res, grant, { Code: 'AccessDenied', Message: 'not admitted' });
    try {
      const credentials = await grant.source.get();
      reported.delete(grant.core);
      send(res, 200, {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        // Long-lived keys have no session token; both SDKs sign without one when it is empty.
        Token: credentials.sessionToken ?? '',
        Expiration: credentials.expiration.toISOString(),
      });
    } catch (error) {
      const message = (error as Error).message;
      report(grant.core, `no AWS credentials for this core: ${message}`);
      send(res, 503, { Code: 'CredentialsUnavailable', Message: `gatehouse dev: ${message}` });
    }
  };

  const server: Server = createServer((req, res) => void answer(req, res));
  await listen(server, 0, HOST, 'credentials endpoint', 'a free port');
  port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}`;

  return {
    url,
    issuerFor(core, source) {
      return {
        issue() {
          const id = randomBytes(8).toString('hex');
          const token = randomBytes(32).toString('base64url');
          grants.set(id, { core, token: Buffer.from(token), source });
          return {
            environment: {
              AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/credentials/${id}`,
              AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
              // Neither SDK may fall back to the developer's own files before asking the endpoint.
              AWS_CONFIG_FILE: devNull,
              AWS_SHARED_CREDENTIALS_FILE: devNull,
            },
            revoke: () => grants.delete(id),
          };
        },
      };
    },
    async close() {
      grants.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The environment's grant, or the status refusing the request. */
function admitted(req: IncomingMessage, grants: ReadonlyMap<string, Grant>, port: number): Grant | number {
  if (req.method !== 'GET') return 405;
  const host = req.headers.host;
  if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return 403;
  if (req.headers.origin !== undefined) return 403;
  const id = PATH.exec(req.url ?? '')?.[1];
  const grant = id === undefined ? undefined : grants.get(id);
  const presented = Buffer.from(req.headers.authorization ?? '');
  if (!grant || presented.length !== grant.token.length || !timingSafeEqual(presented, grant.token)) return 403;
  return grant;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
