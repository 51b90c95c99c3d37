/**
 * The built Lambda bundle (`dist/index.mjs`, as `npm run build` makes it) loads with the Lambda
 * environment set and answers a request through a stub Invoke API — what Lambda would run.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../scripts/bundle-lambda';
import type { EdgeContext } from '../src/edge';
import type { EdgeResult } from '../src/respond';
import {
  answerJson,
  CREDENTIALS,
  httpApiEvent,
  type InvokeStub,
  lambdaContext,
  ORIGIN,
  startInvokeStub,
} from './helpers';

type BundledHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: EdgeContext) => Promise<EdgeResult>;

const ENV = {
  TARGET_LAMBDA_NAME: 'gatehouse-core',
  ALLOWED_ORIGINS: ORIGIN,
  LOG_LEVEL: 'silent',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
};

let stub: InvokeStub;
let outfile = '';
let handler: BundledHandler;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  stub = await startInvokeStub(answerJson({ answer: 'from the stub core' }));
  const built = await bundleLambda('edge');
  outfile = built.outfile;
  for (const [name, value] of Object.entries({ ...ENV, AWS_ENDPOINT_URL_LAMBDA: stub.endpoint })) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  ({ handler } = (await import(pathToFileURL(built.outfile).href)) as { handler: BundledHandler });
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await stub.close();
});

describe('the edge bundle', () => {
  it('carries every dependency inside: it imports nothing but Node built-ins', async () => {
    // Prepare
    const code = await readFile(outfile, 'utf8');

    // Act
    const specifiers = [...code.matchAll(/(?:\bfrom|\bimport|\brequire\()\s*\(?\s*["']([^"']+)["']/g)].map(
      (m) => m[1] ?? '',
    );

    // Assess
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !isBuiltin(s))).toEqual([]);
  });

  it('answers a request through the Invoke API named by AWS_ENDPOINT_URL_LAMBDA', async () => {
    // Act
    const result = await handler(httpApiEvent({ requestId: 'req-bundle' }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toEqual({ answer: 'from the stub core' });
    expect(result.headers['x-request-id']).toBe('req-bundle');
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]?.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
  });

  it.each([
    [{ ALLOWED_ORIGINS: '*' }, /ALLOWED_ORIGINS is invalid: "\*" is not accepted/],
    [{ TARGET_LAMBDA_NAME: '' }, /TARGET_LAMBDA_NAME is required/],
    [{ AWS_SECRET_ACCESS_KEY: '' }, /AWS_SECRET_ACCESS_KEY is not set/],
  ])('fails the cold start on %o with a message naming the variable', (override, message) => {
    // Act
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(outfile).href)})`],
      { env: { PATH: process.env.PATH, ...ENV, ...override }, encoding: 'utf8', timeout: 20_000 },
    );

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });
});
