/**
 * The pitfalls the local stack cannot be configured into, reproduced by a small server that answers
 * as API Gateway does in each case: an API without CORS (its route catches the preflight and answers
 * 401), a route without an authorizer, an edge that cannot invoke its core, an edge that crashed at
 * cold start, and a token from another user pool.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeProblem } from '@gatehouse/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckResult, type DoctorAuth, resolveTarget, runDoctor } from '../src/doctor';
import { parseRouteUrl } from '../src/doctor/route-url';

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123';
const CLIENT = 'webclient123';

const gateway = (status: number, message: string, headers: Record<string, string> = {}): Behaviour => {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ message }));
  };
};

/** Per path: `/<case>/prod/inference`; the first segment picks the behaviour. */
const CASES: Record<string, Behaviour> = {
  'no-cors': gateway(401, 'Unauthorized'),
  unprotected: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"answer":"no token needed"}');
  },
  misconfigured: (req, res) => {
    if (!req.headers.authorization) return gateway(401, 'Unauthorized')(req, res);
    res.writeHead(500, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify(makeProblem('misconfigured', 'The API is not set up correctly.', 'req-123')));
  },
  'allow-list': (req, res) =>
    gateway(req.headers.authorization ? 403 : 401, req.headers.authorization ? 'Forbidden' : 'Unauthorized')(req, res),
  crashed: (req, res) =>
    gateway(
      req.headers.authorization ? 500 : 401,
      req.headers.authorization ? 'Internal Server Error' : 'Unauthorized',
    )(req, res),
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const name = req.url?.split('/')[1] ?? '';
    req.resume();
    req.on('end', () => (CASES[name] ?? gateway(404, 'Not Found'))(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function token(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return [
    part({ alg: 'RS256', kid: 'k1' }),
    part({ token_use: 'id', iss: ISSUER, aud: CLIENT, exp: now + 600, ...claims }),
    'c2ln',
  ].join('.');
}

async function doctor(
  name: string,
  options: { origin?: string; token?: string; auth?: DoctorAuth } = {},
): Promise<Map<string, CheckResult>> {
  const { auth, ...rest } = options;
  const url = `${base}/${name}/inference`;
  const results = await runDoctor({
    route: parseRouteUrl(url),
    ...rest,
    ...(auth
      ? { target: { ...resolveTarget({ url: new URL(url), auth, stateDir: '/nonexistent', env: {} }), isLocal: false } }
      : {}),
    expectations: { issuer: ISSUER, clientIds: [CLIENT], tokenUse: 'id' },
    timeoutMs: 5_000,
  });
  return new Map(results.map((r) => [r.id, r]));
}

describe('gatehouse doctor on pitfalls outside the local stack', () => {
  it('recognises an API without CORS by its preflight answered 401 with no CORS headers', async () => {
    const results = await doctor('no-cors', { origin: 'https://app.example.com' });
    expect(results.get('preflight')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('CORS is not configured'),
    });
  });

  it('fails a route that answers without a token', async () => {
    const results = await doctor('unprotected');
    expect(results.get('route')).toMatchObject({ status: 'fail', summary: expect.stringContaining('not protected') });
  });

  it('turns the edge’s "misconfigured" problem into the invoke-permission fix, with the request id', async () => {
    const results = await doctor('misconfigured', { token: token({}) });
    const call = results.get('call');
    expect(call).toMatchObject({ status: 'fail', summary: expect.stringContaining('500 misconfigured') });
    expect(call?.fix).toMatch(/CORE_TARGETS .* edge role may invoke it/);
    expect(call?.details).toContain('request id req-123');
  });

  it('reads API Gateway’s bare 500 as an edge that crashed', async () => {
    const results = await doctor('crashed', { token: token({}) });
    expect(results.get('call')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('edge Lambda crashed'),
    });
  });

  it('names the other user pool a token comes from', async () => {
    const other = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other999';
    const results = await doctor('misconfigured', { token: token({ iss: other }) });
    expect(results.get('token')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining(`it comes from another user pool (${other}); the API trusts ${ISSUER}`),
    });
  });

  it('refuses to decode what is not a JWT, without printing it', async () => {
    const results = await doctor('misconfigured', { token: 'not-a-jwt-at-all' });
    expect(results.get('token')).toMatchObject({ status: 'fail', summary: expect.stringContaining('not a JWT') });
    expect(JSON.stringify(results.get('token'))).not.toContain('not-a-jwt-at-all');
  });

  it('reads a deployed 403 in --auth lambda as the allow-list refusing the email, never as scopes', async () => {
    const lambda = await doctor('allow-list', {
      token: token({ email: 'ana@example.com', email_verified: true }),
      auth: { mode: 'lambda' },
    });
    const cognito = await doctor('allow-list', { token: token({}) });
    expect(lambda.get('allow-list')?.summary).toContain('ana@example.com, verified');
    expect(lambda.get('call')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining(
        '403 from the Lambda authorizer (email allow-list): ana@example.com (verified) is not admitted',
      ),
      fix: expect.stringContaining('allowedEmails'),
    });
    expect(JSON.stringify([...lambda.values()])).not.toMatch(/scope/i);
    expect(cognito.get('call')?.summary).toContain('the token lacks every scope the route requires');
  });

  it('in --auth iam without credentials in the environment, says which variables to set', async () => {
    const results = await doctor('allow-list', { auth: { mode: 'iam' } });
    expect(results.get('signature')).toMatchObject({
      status: 'skip',
      fix: expect.stringContaining('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'),
    });
    expect(results.get('anonymous-call')).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('expected 403 from the authorizer for an unsigned request, got 401'),
      fix: expect.stringContaining('a token- or key-protected route answers 401'),
    });
  });
});
