/**
 * S3 and STS as far as a core's first AWS call needs them, on loopback: each request's SigV4
 * signature is verified (the SDK's own signer, recomputed) against the keys the stub is told
 * about, so a test learns exactly which key signed — the developer's, an assumed role's, or none.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LocalCredential, verifySigV4 } from '../../src/iam';

export interface StubKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface StubAws {
  url: string;
  /** Access keys of the requests whose signature verified, in order. */
  signedBy: string[];
  /** Why each refused request was refused. */
  refusals: string[];
  /** STS AssumeRole requests: the role each asked for. */
  assumed: string[];
  close(): Promise<void>;
}

export interface StubAwsOptions {
  keys: StubKey[];
  /** What S3 GetObject answers. */
  objectBody?: string;
  /** STS: the caller's account (GetCallerIdentity). */
  account?: string;
  /** STS: roles that admit the caller; AssumeRole of any other is AccessDenied. */
  assumableRoles?: string[];
}

export function newKey(prefix = 'AKIA'): StubKey {
  return {
    accessKeyId: `${prefix}${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

export async function startStubAws(options: StubAwsOptions): Promise<StubAws> {
  const keys = new Map(options.keys.map((k) => [k.accessKeyId, k]));
  const signedBy: string[] = [];
  const refusals: string[] = [];
  const assumed: string[] = [];
  const lookup = (id: string): LocalCredential | undefined => {
    const key = keys.get(id);
    return key && { ...key, accountId: options.account ?? '123456789012', userArn: '', userId: '' };
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(headers.authorization ?? '')?.[1] ?? 's3';
      const verdict = await verifySigV4(
        { method: req.method ?? 'GET', url: req.url ?? '/', headers, body },
        { region: undefined, service, lookup, escapeSentPath: service !== 's3' },
      );
      if (!verdict.ok) {
        refusals.push(verdict.message);
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(`<Error><Code>SignatureDoesNotMatch</Code><Message>${verdict.message}</Message></Error>`);
        return;
      }
      signedBy.push(verdict.credential.accessKeyId);
      if (service === 's3') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(options.objectBody ?? 'hello from the stub bucket');
        return;
      }
      const form = new URLSearchParams(body.toString('utf8'));
      res.setHeader('content-type', 'text/xml');
      if (form.get('Action') === 'GetCallerIdentity') {
        res.end(callerIdentity(options.account ?? '123456789012'));
        return;
      }
      const role = form.get('RoleArn') ?? '';
      assumed.push(role);
      if (!(options.assumableRoles ?? []).includes(role)) {
        res.statusCode = 403;
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on resource: ${role}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
        );
        return;
      }
      const session = newKey('ASIA');
      keys.set(session.accessKeyId, session);
      res.end(assumeRoleAnswer(session, role));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    signedBy,
    refusals,
    assumed,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function callerIdentity(account: string): string {
  return `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/developer</Arn><UserId>AIDASTUB</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
}

function assumeRoleAnswer(session: StubKey, role: string): string {
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  return `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId><SecretAccessKey>${session.secretAccessKey}</SecretAccessKey><SessionToken>stub-session-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${role}/gatehouse</Arn><AssumedRoleId>AROASTUB:gatehouse</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}
