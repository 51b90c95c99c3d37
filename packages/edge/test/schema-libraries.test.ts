/**
 * The same request shape written with each Standard Schema library an adopter may already use —
 * zod, valibot, arktype — through the whole edge handler: a bad body is 422 `validation_failed`
 * with `{path, message}` per field and the core never runs; a good one reaches the core as the
 * schema's output (trimmed, defaulted), not as the caller sent it.
 */
import { defineConfig, matchRoutePath, type Problem, resolveProjectConfig } from '@gatehouse/contract';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type } from 'arktype';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createEdgeHandler } from '../src/edge';
import { LambdaInvokeClient } from '../src/lambda-invoke-client';
import {
  allowMethodsOf,
  answerJson,
  awsEnvironment,
  httpApiEvent,
  type InvokeStub,
  lambdaContext,
  memoryLogger,
  startInvokeStub,
  testConfig,
} from './helpers';

const SCHEMAS: Array<[string, StandardSchemaV1]> = [
  [
    'zod',
    z.object({
      prompt: z.string().check(z.trim(), z.minLength(1, 'prompt must not be empty')),
      temperature: z._default(z.number().check(z.gte(0), z.lte(2, 'temperature must be 2 or less')), 1),
      maxTokens: z.int('maxTokens must be a whole number'),
    }),
  ],
  [
    'valibot',
    v.object({
      prompt: v.pipe(v.string(), v.trim(), v.minLength(1, 'prompt must not be empty')),
      temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2, 'temperature must be 2 or less')), 1),
      maxTokens: v.pipe(v.number(), v.integer('maxTokens must be a whole number')),
    }),
  ],
  [
    'arktype',
    type({
      prompt: type('string').pipe((s) => s.trim(), type('string > 0')),
      temperature: type('0 <= number <= 2').default(1),
      maxTokens: 'number.integer',
    }),
  ],
];

let stub: InvokeStub | undefined;
let client: LambdaInvokeClient | undefined;

afterEach(async () => {
  client?.close();
  await stub?.close();
  stub = undefined;
  client = undefined;
});

async function edgeWith(schema: StandardSchemaV1) {
  stub = await startInvokeStub(answerJson({ completion: 'ok' }));
  client = new LambdaInvokeClient(awsEnvironment(stub.endpoint));
  const routes = resolveProjectConfig(
    defineConfig({
      routes: { 'POST /completions': { core: 'ask', schema, payload: 'input' } },
      cores: { ask: { runtime: 'python3.12', code: './core', handler: 'handler.handler' } },
    }),
  ).routes;
  const handler = createEdgeHandler({
    config: testConfig({ CORE_TARGETS: 'ask=gatehouse-ask' }),
    routes,
    allowMethods: allowMethodsOf(routes),
    matchPath: matchRoutePath,
    client,
    logger: memoryLogger('silent').logger,
    service: 'gatehouse-edge',
  });
  return (body: unknown) =>
    handler(httpApiEvent({ routeKey: 'POST /completions', body: JSON.stringify(body) }), lambdaContext());
}

describe.each(SCHEMAS)('a %s schema through the edge', (_library, schema) => {
  it('passes the validated, transformed value to the core', async () => {
    // Prepare
    const send = await edgeWith(schema);

    // Act
    const result = await send({ prompt: '  Hello there  ', maxTokens: 16 });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(stub?.requests[0]?.body))).toEqual({
      prompt: 'Hello there',
      temperature: 1,
      maxTokens: 16,
    });
  });

  it('answers 422 validation_failed with {path, message} per failing field, and never calls the core', async () => {
    // Prepare
    const send = await edgeWith(schema);

    // Act
    const result = await send({ prompt: '   ', temperature: 3, maxTokens: 1.5 });

    // Assess
    expect(result.statusCode).toBe(422);
    expect(result.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(String(result.body)) as Problem;
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['maxTokens', 'prompt', 'temperature']);
    for (const error of problem.errors ?? []) {
      expect(Object.keys(error).sort()).toEqual(['message', 'path']);
      expect(error.message.length).toBeGreaterThan(0);
    }
    expect(stub?.requests).toHaveLength(0);
  });

  it('says a missing field is required, whatever the library calls it', async () => {
    // Prepare
    const send = await edgeWith(schema);

    // Act
    const result = await send({ prompt: 'Hello' });

    // Assess
    expect(result.statusCode).toBe(422);
    expect((JSON.parse(String(result.body)) as Problem).errors).toEqual([
      { path: 'maxTokens', message: 'maxTokens is required' },
    ]);
  });
});
