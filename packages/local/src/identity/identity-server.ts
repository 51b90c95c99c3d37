/**
 * The local pool's HTTP face, as Cognito's: `POST /` with `x-amz-target:
 * AWSCognitoIdentityProviderService.<Operation>` and JSON 1.1 bodies, the JWKS and OpenID discovery
 * document under `/<poolId>/.well-known/`, and — local only — the mailbox at `/_local/mailbox`.
 *
 * Who may call what: user operations are unsigned, as on AWS; admin operations need SigV4 for
 * `cognito-idp` with the local stack's credential. Browsers may read answers only from the
 * configured web origins (exact match, never `*`); a request or preflight from any other origin is
 * refused before it does anything, so no page open in the developer's browser can use the pool.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalCredential, verifySigV4 } from '../iam';
import { foreignHostMessage, requestForOwnHost } from '../net/own-host';
import { ADMIN_OPERATIONS } from './admin-operations';
import { CognitoError } from './cognito-error';
import type { PoolContext } from './pool-context';
import type { SigningKey } from './signing-key';
import { USER_OPERATIONS } from './user-operations';

export interface IdentityServerOptions {
  context: PoolContext;
  issuer: string;
  key: SigningKey;
  /** Exact origins whose pages may call the pool and read the mailbox. */
  allowedOrigins: readonly string[];
  adminCredential: LocalCredential;
  onLog?: (line: string) => void;
  /** Called for each request refused for its `Origin`. */
  onRefusedOrigin?: (origin: string) => void;
}

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
/** Cognito's requests are a few kilobytes; this bounds what one can make the service buffer. */
const MAX_BODY_BYTES = 64 * 1024;
export const MAILBOX_PATH = '/_local/mailbox';
const ALLOWED_HEADERS =
  'content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-request, amz-sdk-invocation-id';
const EXPOSED_HEADERS = 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date';

export function identityHandler(options: IdentityServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const wellKnown = `/${options.context.ids.userPoolId}/.well-known/`;
  return (req, res) => {
    const requestId = randomUUID();
    // Before anything, the mailbox's codes above all: a rebound domain name reads nothing.
    if (!requestForOwnHost(req)) {
      req.resume();
      send(res, 403, { __type: 'AccessDeniedException', message: foreignHostMessage(req) }, requestId);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !options.allowedOrigins.includes(origin)) {
      options.onRefusedOrigin?.(origin);
      // No CORS headers: the browser hides even this refusal from the foreign page.
      send(res, 403, { __type: 'AccessDeniedException', message: `Origin ${origin} is not allowed` }, requestId);
      return;
    }
    if (origin !== undefined) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    res.setHeader('vary', 'origin');
    const url = new URL(req.url ?? '/', 'http://identity.local');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
      });
      res.end();
    } else if (req.method === 'GET' && url.pathname === `${wellKnown}jwks.json`) {
      send(res, 200, { keys: [options.key.publicJwk] }, requestId, 'application/json');
    } else if (req.method === 'GET' && url.pathname === `${wellKnown}openid-configuration`) {
      send(res, 200, discovery(options.issuer), requestId, 'application/json');
    } else if (req.method === 'GET' && url.pathname === MAILBOX_PATH) {
      res.setHeader('cache-control', 'no-store');
      send(res, 200, { messages: options.context.store.mailbox() }, requestId, 'application/json');
    } else if (req.method === 'POST' && url.pathname === '/') {
      void answer(options, req, res, requestId);
    } else {
      send(res, 404, { __type: 'UnknownOperationException', message: `${req.method} ${url.pathname}` }, requestId);
    }
  };
}

async function answer(
  options: IdentityServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
  try {
    const body = await readBody(req);
    const admin = ADMIN_OPERATIONS[operation];
    const handler = admin ?? USER_OPERATIONS[operation];
    if (!handler) throw new CognitoError('UnknownOperationException', `Unknown operation ${operation || '(none)'}`);
    if (admin) await requireSignature(options, req, body);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch (error) {
      throw new CognitoError('SerializationException', 'The request body is not JSON', 400, { cause: error });
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new CognitoError('SerializationException', 'The request body must be a JSON object');
    const result = await handler(options.context, input);
    options.onLog?.(`${operation} 200`);
    send(res, 200, result, requestId);
  } catch (error) {
    const failure =
      error instanceof CognitoError
        ? error
        : new CognitoError('InternalErrorException', 'Internal error', 500, { cause: error });
    options.onLog?.(
      `${operation} ${failure.status} ${failure.type}${failure.status === 500 ? ` ${String((error as Error).stack)}` : ''}`,
    );
    res.setHeader('x-amzn-errortype', failure.type);
    send(res, failure.status, { __type: failure.type, message: failure.message }, requestId);
  }
}

async function requireSignature(options: IdentityServerOptions, req: IncomingMessage, body: Buffer): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  const verdict = await verifySigV4(
    { method: req.method ?? 'POST', url: req.url ?? '/', headers, body },
    {
      region: options.context.ids.region,
      service: 'cognito-idp',
      lookup: (id) => (id === options.adminCredential.accessKeyId ? options.adminCredential : undefined),
    },
  );
  if (!verdict.ok) {
    const type = headers.authorization ? 'UnrecognizedClientException' : 'MissingAuthenticationTokenException';
    throw new CognitoError(type, verdict.message, 403);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new CognitoError('SerializationException', 'Request body too large', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  type = 'application/x-amz-json-1.1',
) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': requestId });
  res.end(JSON.stringify(body));
}

function discovery(issuer: string) {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    scopes_supported: ['openid', 'email', 'aws.cognito.signin.user.admin'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}
