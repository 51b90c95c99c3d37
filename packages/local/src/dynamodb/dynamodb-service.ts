/// <reference path="./dynalite.d.ts" />
/**
 * DynamoDB on loopback for job routes: dynalite (a real implementation of DynamoDB's API on
 * LevelDB, kept by its authors for DynamoDB's validation and error messages), its data in the state
 * directory so jobs outlive a restart as they would on AWS.
 *
 * dynalite accepts any caller and answers any web page with `Access-Control-Allow-Origin: *`, so
 * its request handler is wrapped by the same admission as the Invoke API: no `Origin`, a local
 * `Host`, and a SigV4 signature by the local credential for `dynamodb` — before dynalite sees a byte.
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import dynalite from 'dynalite';
import { type LocalKeys, refuseBeforeBody, type ServiceAdmission, verifyServiceSignature } from '../iam';
import { listen } from '../net/listen';
import { BodyTooLargeError, readBody } from '../net/read-body';

/** DynamoDB's own limit on a request body. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface DynamoDbService {
  url: string;
  close(): Promise<void>;
}

export async function startDynamoDb(options: {
  host: string;
  port: number;
  /** LevelDB's folder (created if missing). */
  dataDir: string;
  /** The local credential (`loadLocalCredential`): the only key callers may sign with. */
  credential: LocalKeys;
  /** The region callers must sign for. */
  region: string;
}): Promise<DynamoDbService> {
  mkdirSync(options.dataDir, { recursive: true });
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const admission: ServiceAdmission = {
    service: 'dynamodb',
    region: options.region,
    credentials: [options.credential],
  };
  const [dynaliteHandler] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (!dynaliteHandler) throw new Error('dynalite registered no request handler');
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    admit(admission, req).then(
      (admitted) => {
        if ('refusal' in admitted) {
          const { status, errorType, message } = admitted.refusal;
          refuse(res, status, errorType, message);
        } else dynaliteHandler(replay(req, admitted.body), res);
      },
      () => refuse(res, 400, 'SerializationException', 'The request could not be read'),
    );
  });
  await listen(server, options.port, options.host, 'DynamoDB', '--dynamodb-port');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Refusal = { status: number; errorType: string; message: string };

/** The body once the caller is admitted, or why not. */
async function admit(
  admission: ServiceAdmission,
  req: IncomingMessage,
): Promise<{ body: Buffer } | { refusal: Refusal }> {
  const early = refuseBeforeBody(req);
  if (early) {
    req.resume();
    return { refusal: early };
  }
  let body: Buffer;
  try {
    body = await readBody(req, MAX_REQUEST_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    req.resume();
    return { refusal: { status: 413, errorType: 'RequestEntityTooLarge', message: 'Request entity too large' } };
  }
  const refusal = await verifyServiceSignature(req, body, admission);
  return refusal ? { refusal } : { body };
}

/** dynalite reads the body from the request stream, which admission consumed: hand it a copy. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = Readable.from(body.length > 0 ? [body] : []) as unknown as IncomingMessage;
  return Object.assign(copy, { headers: req.headers, method: req.method, url: req.url });
}

function refuse(res: ServerResponse, status: number, errorType: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${errorType}`, message }));
}
