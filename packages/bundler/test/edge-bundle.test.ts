/**
 * A project's edge bundle, as the local stack and the construct build it: gatehouse's edge with the
 * project's routes and schema inside, importing nothing but Node built-ins, answering through the
 * Invoke API named by AWS_ENDPOINT_URL_LAMBDA, and failing its cold start on a bad environment with
 * a message naming the variable.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { isBuiltin } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResolvedProjectConfig } from '@gatehouse/contract';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeBundleOptions } from '../src/edge-bundle';
import { loadProjectConfig } from '../src/load-project-config';

const configFile = fileURLToPath(new URL('./fixtures/project/gatehouse.config.ts', import.meta.url));
const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'gatehouse-edge-')), 'index.mjs');
const received: Array<{ url: string; body: string }> = [];
let server: Server;
let endpoint = '';
let resolved: ResolvedProjectConfig;
let bundledInputs: string[] = [];

const ENV = {
  CORE_TARGETS: 'notes=project-notes',
  ALLOWED_ORIGINS: 'https://app.example.com',
  LOG_LEVEL: 'silent',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01',
  AWS_SECRET_ACCESS_KEY: 'secret',
};

/** Cold-starts the bundle in a child process, as Lambda would: the environment is all it gets. */
function coldStart(env: Record<string, string>, bundle = outfile): ReturnType<typeof spawnSync> {
  return spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(bundle).href)})`],
    {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
}

/** Runs one event through the bundle in a child process; the stub Invoke API answers in this one. */
function handle(event: unknown, bundle = outfile): Promise<{ statusCode: number; body: string }> {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const result = await handler(${JSON.stringify(event)}, { awsRequestId: 'r', getRemainingTimeInMillis: () => 10000 });
    process.stdout.write('RESULT' + JSON.stringify(result));`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { env: { PATH: process.env.PATH, ...ENV, AWS_ENDPOINT_URL_LAMBDA: endpoint }, timeout: 20_000 },
      (error, stdout) => {
        if (error) return reject(error);
        resolve(JSON.parse(stdout.slice(stdout.indexOf('RESULT') + 6)));
      },
    );
  });
}

function event(routeKey: string, rawPath: string, body?: unknown, pathParameters?: Record<string, string>) {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', origin: 'https://app.example.com' },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      http: { method: routeKey.split(' ')[0], path: rawPath, sourceIp: '198.51.100.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey,
      stage: 'prod',
      timeEpoch: 1795516802000,
      authorizer: { jwt: { claims: { sub: 'u-1', token_use: 'id', 'cognito:username': 'jane' }, scopes: null } },
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push({ url: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  resolved = (await loadProjectConfig(configFile)).resolved;
  const built = await esbuild.build(edgeBundleOptions(configFile, outfile, resolved));
  // What made it into the output, not all that was read: tree-shaken modules count 0 bytes.
  bundledInputs = Object.values(built.metafile?.outputs ?? {}).flatMap((output) =>
    Object.entries(output.inputs).flatMap(([file, input]) => (input.bytesInOutput > 0 ? [file] : [])),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a project edge bundle', () => {
  it('carries every dependency inside: it imports nothing but Node built-ins', () => {
    const code = readFileSync(outfile, 'utf8');
    const specifiers = [...code.matchAll(/(?:\bfrom|\bimport|\brequire\()\s*\(?\s*["']([^"']+)["']/g)].map(
      (m) => m[1] ?? '',
    );
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !isBuiltin(s))).toEqual([]);
  });

  it("validates with the project's schema and invokes the route's core", async () => {
    // Act
    const ok = await handle(event('POST /notes', '/prod/notes', { text: 'hi' }));
    const refused = await handle(event('POST /notes', '/prod/notes', { text: '' }));
    const byId = await handle(event('GET /notes/{id}', '/prod/notes/n-7', undefined, { id: 'n-7' }));

    // Assess
    expect(ok).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
    expect(refused).toMatchObject({ statusCode: 422 });
    expect(byId).toMatchObject({ statusCode: 200 });
    expect(received.map((r) => r.url)).toEqual([
      '/2015-03-31/functions/project-notes/invocations',
      '/2015-03-31/functions/project-notes/invocations',
    ]);
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ input: { text: 'hi' }, pathParameters: {} });
    expect(JSON.parse(received[1]?.body ?? '{}')).toMatchObject({ input: {}, pathParameters: { id: 'n-7' } });
  });

  it.each([
    [{ ALLOWED_ORIGINS: '*' }, /ALLOWED_ORIGINS is invalid: "\*" is not accepted/],
    [{ CORE_TARGETS: '' }, /CORE_TARGETS is required/],
    [{ AWS_SECRET_ACCESS_KEY: '' }, /AWS_SECRET_ACCESS_KEY is not set/],
  ])('fails the cold start on %o with a message naming the variable', (override, message) => {
    const run = coldStart({ ...ENV, ...override });
    expect(run.status).not.toBe(0);
    expect(String(run.stderr)).toMatch(message);
  });

  it('checks the config at build time: the bundle carries its route table, not the config checker', () => {
    expect(bundledInputs.some((file) => file.endsWith('gatehouse.config.ts'))).toBe(true);
    expect(bundledInputs.filter((file) => /resolve-project-config/.test(file))).toEqual([]);
    expect(readFileSync(outfile, 'utf8')).toContain('key:"GET /notes/{id}"');
  });

  it('carries the path-template matcher only when a route has {parameters}, and matches paths with or without it', async () => {
    // Prepare: the same project less its templated route
    const literal = path.join(path.dirname(outfile), 'literal.mjs');
    const untemplated = { ...resolved, routes: resolved.routes.filter((r) => r.parameters.length === 0) };
    const built = await esbuild.build(edgeBundleOptions(configFile, literal, untemplated));
    const literalInputs = Object.values(built.metafile?.outputs ?? {}).flatMap((output) =>
      Object.entries(output.inputs).flatMap(([file, input]) => (input.bytesInOutput > 0 ? [file] : [])),
    );

    // Act: events no route key names, as a Function URL sends them
    const byTemplate = await handle({ ...event('GET /notes/{id}', '/prod/notes/n-9'), routeKey: '$default' });
    const templated = JSON.parse(received.at(-1)?.body ?? '{}');
    const byLiteral = await handle(
      { ...event('POST /notes', '/prod/notes', { text: 'hi' }), routeKey: '$default' },
      literal,
    );
    const elsewhere = await handle(
      { ...event('POST /notes', '/prod/notes/n-9', { text: 'hi' }), routeKey: '$default' },
      literal,
    );

    // Assess
    expect(bundledInputs.some((file) => file.endsWith('route-key.ts'))).toBe(true);
    expect(literalInputs.filter((file) => /route-key|jobs/.test(file))).toEqual([]);
    expect(byTemplate).toMatchObject({ statusCode: 200 });
    expect(templated).toMatchObject({ pathParameters: { id: 'n-9' } });
    expect(byLiteral).toMatchObject({ statusCode: 200 });
    expect(elsewhere).toMatchObject({ statusCode: 404 });
  });

  it('fails the cold start when its route table and its bundled config disagree', async () => {
    const stale = path.join(path.dirname(outfile), 'stale.mjs');
    const renamed = {
      ...resolved,
      routes: resolved.routes.map((r) => ({ ...r, key: r.key.replace('notes', 'memos') })),
    };
    await esbuild.build(edgeBundleOptions(configFile, stale, renamed));
    const run = coldStart(ENV, stale);
    expect(run.status).not.toBe(0);
    expect(String(run.stderr)).toMatch(/route table names POST \/memos, which its bundled config does not: rebuild/);
  });
});
