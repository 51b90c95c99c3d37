/**
 * A local SSM Parameter Store endpoint speaking the AWS JSON 1.1 protocol (`X-Amz-Target:
 * AmazonSSM.<Operation>`) for the operations gatehouse uses: GetParameter, PutParameter and
 * DeleteParameter. The authorizer and `gatehouse keys` reach it through the standard
 * `AWS_ENDPOINT_URL_SSM` override — the same code path they take against AWS.
 *
 * Callers must sign with the state directory's local credential for the emulator's region (as the
 * authorizer and `gatehouse keys --local` do), and web pages are refused: see
 * iam/service-admission.ts.
 *
 * Not emulated: KMS, tiers, policies, labels, history, and every other operation (answered with
 * AWS's `InvalidAction`-style error).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LocalKeys, refuseBeforeBody, type ServiceAdmission, verifyServiceSignature } from '../iam';
import { ParameterStoreFile, type StoredParameter } from './parameter-store';

const MAX_REQUEST_BYTES = 64 * 1024;
const PARAMETER_TYPES = new Set(['String', 'StringList', 'SecureString']);

export interface SsmEmulator {
  url: string;
  close(): Promise<void>;
}

class SsmFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startSsmEmulator(options: {
  host?: string;
  port: number;
  dataFile: string;
  /** The local credential (`loadLocalCredential`): the only key callers may sign with. */
  credential: LocalKeys;
  /** The region callers must sign for. */
  region: string;
}): Promise<SsmEmulator> {
  const store = new ParameterStoreFile(options.dataFile);
  const admission: ServiceAdmission = { service: 'ssm', region: options.region, credentials: [options.credential] };
  const server: Server = createServer((req, res) => {
    handle(store, admission, req, res).catch((error: unknown) => {
      const fault = error instanceof SsmFault ? error : new SsmFault('InternalServerError', 'internal error', 500);
      send(res, fault.status, { __type: fault.type, message: fault.message });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(
  store: ParameterStoreFile,
  admission: ServiceAdmission,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const refusal = refuseBeforeBody(req);
  if (refusal) {
    req.resume();
    throw new SsmFault(refusal.errorType, refusal.message, refusal.status);
  }
  if (req.method !== 'POST') throw new SsmFault('UnknownOperationException', 'Only POST is supported', 404);
  const target = String(req.headers['x-amz-target'] ?? '');
  const raw = await readRaw(req);
  const badSignature = await verifyServiceSignature(req, raw, admission);
  if (badSignature) throw new SsmFault(badSignature.errorType, badSignature.message, badSignature.status);
  const body = parseJson(raw);
  switch (target) {
    case 'AmazonSSM.GetParameter':
      return send(res, 200, { Parameter: describe(requireParameter(store, name(body))) });
    case 'AmazonSSM.PutParameter': {
      const type = body.Type ?? 'String';
      if (typeof body.Value !== 'string' || body.Value === '') {
        throw new SsmFault('ValidationException', 'Value must not be empty');
      }
      if (typeof type !== 'string' || !PARAMETER_TYPES.has(type)) {
        throw new SsmFault('UnsupportedParameterType', `Type ${String(type)} is not supported`);
      }
      const version = store.put(name(body), body.Value, type as StoredParameter['type'], body.Overwrite === true);
      if (version === undefined) {
        throw new SsmFault(
          'ParameterAlreadyExists',
          'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
        );
      }
      return send(res, 200, { Version: version, Tier: 'Standard' });
    }
    case 'AmazonSSM.DeleteParameter':
      if (!store.delete(name(body))) throw new SsmFault('ParameterNotFound', '');
      return send(res, 200, {});
    default:
      throw new SsmFault('UnknownOperationException', `${target || 'No operation'} is not emulated locally`);
  }
}

function requireParameter(store: ParameterStoreFile, parameterName: string): StoredParameter {
  const parameter = store.get(parameterName);
  if (!parameter) throw new SsmFault('ParameterNotFound', '');
  return parameter;
}

function describe(p: StoredParameter): Record<string, unknown> {
  return {
    Name: p.name,
    Type: p.type,
    Value: p.value,
    Version: p.version,
    LastModifiedDate: Date.parse(p.lastModified) / 1000,
    ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`,
    DataType: 'text',
  };
}

function name(body: Record<string, unknown>): string {
  if (typeof body.Name !== 'string' || body.Name === '') throw new SsmFault('ValidationException', 'Name is required');
  return body.Name;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new SsmFault('ValidationException', 'Request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8') || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new SsmFault('SerializationException', 'The request body is not a JSON object');
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  if (status >= 400 && '__type' in body) res.setHeader('x-amzn-errortype', String(body.__type));
  res.end(JSON.stringify(body));
}
