/**
 * Property tests: whatever a client sends — body, encoding, headers, claims, method — the edge
 * answers (never throws), with a problem body carrying the request id, and never with a 5xx while
 * the core is healthy. Whatever a failing core says, only contract error types reach the caller.
 */
import { CORE_ERROR_TYPES, isProblem, matchRoutePath } from '@gatehouse/contract';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEdgeHandler, type EdgeHandler } from '../src/edge';
import type { InvokeResult } from '../src/lambda-invoke-client';
import { ROUTES } from './fixtures/project';
import {
  allowMethodsOf,
  httpApiEvent,
  idTokenClaims,
  lambdaContext,
  memoryLogger,
  ORIGIN,
  testConfig,
  VALID_INPUT,
} from './helpers';

const RUNS = 300;

function edgeWithCore(answer: () => InvokeResult, env: Record<string, string> = {}): EdgeHandler {
  return createEdgeHandler({
    routes: ROUTES,
    allowMethods: allowMethodsOf(ROUTES),
    matchPath: matchRoutePath,
    config: testConfig(env),
    client: { invoke: async () => answer() },
    logger: memoryLogger('silent').logger,
    service: 'gatehouse-edge',
  });
}

const healthyCore = () => ({ functionError: undefined, payload: Buffer.from('{"answer":"ok"}'), awsRequestId: 'r' });

const bodyArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        partner: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        year: fc.oneof(fc.integer(), fc.double(), fc.string()),
        period: fc.oneof(fc.constantFrom('Q1', 'q2', 'fy', 'Q5', ''), fc.string()),
        question: fc.oneof(fc.string({ maxLength: 2100 }), fc.constant(undefined)),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.constant(JSON.stringify(VALID_INPUT)),
);

const headerNameArb = fc.oneof(
  fc.constantFrom('content-type', 'origin', 'user-agent', 'authorization', 'access-control-request-method', 'referer'),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.toLowerCase()),
);

const headersArb = fc.dictionary(
  headerNameArb,
  fc.oneof(fc.string(), fc.constantFrom('application/json', ORIGIN, 'https://evil.example', 'POST')),
  {
    maxKeys: 8,
  },
);

const claimsArb = fc.oneof(
  fc.constant(null),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 6 }),
  fc
    .record({
      sub: fc.string(),
      token_use: fc.constantFrom('id', 'access', '', 'refresh'),
      'cognito:groups': fc.oneof(
        fc.string(),
        fc.array(fc.string()).map((g) => `[${g.join(' ')}]`),
      ),
      email: fc.string(),
    })
    .map((c) => idTokenClaims(c)),
);

const eventArb = fc
  .record({
    method: fc.constantFrom('POST', 'GET', 'OPTIONS', 'DELETE', 'post', ''),
    headers: headersArb,
    body: fc.option(bodyArb, { nil: undefined }),
    base64: fc.boolean(),
    claims: claimsArb,
  })
  .map(({ method, headers, body, base64, claims }) =>
    httpApiEvent({
      method,
      headers,
      body: base64 && body !== undefined ? Buffer.from(body).toString('base64') : body,
      isBase64Encoded: base64,
      claims,
      requestId: 'req-prop',
    }),
  );

describe('edge handler properties', () => {
  it('never throws and never answers 5xx while the core is healthy', async () => {
    // Prepare
    const handler = edgeWithCore(healthyCore, { REQUIRED_GROUPS: 'admins', MAX_BODY_BYTES: '2048' });

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(eventArb, async (event) => {
        const result = await handler(event, lambdaContext());
        expect(result.statusCode).toBeLessThan(500);
        expect(result.headers['x-request-id']).toBe('req-prop');
        expect(result.headers.vary).toBe('Origin');
        expect(result.headers['access-control-allow-origin']).not.toBe('*');
        if (result.statusCode !== 200 && result.statusCode !== 204) {
          const body: unknown = JSON.parse(String(result.body));
          expect(isProblem(body)).toBe(true);
          expect(body).toMatchObject({ requestId: 'req-prop', status: result.statusCode });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('answers something for any event shape at all', async () => {
    // Prepare
    const handler = edgeWithCore(healthyCore);

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (event) => {
        const result = await handler(event as APIGatewayProxyEventV2WithJWTAuthorizer, lambdaContext());
        expect(result.statusCode).toBeGreaterThanOrEqual(200);
        expect(typeof result.headers['x-request-id']).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });

  it("passes on a failing core's message only for contract error types", async () => {
    // Act / Assess
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...Object.keys(CORE_ERROR_TYPES)), fc.string()),
        fc.string({ minLength: 1 }).map((s) => `secret:${s}`),
        async (errorType, errorMessage) => {
          const handler = edgeWithCore(() => ({
            functionError: 'Unhandled',
            payload: Buffer.from(JSON.stringify({ errorType, errorMessage, trace: ['at x'] })),
            awsRequestId: 'r',
          }));
          const result = await handler(httpApiEvent(), lambdaContext());
          const inContract = Object.hasOwn(CORE_ERROR_TYPES, errorType);
          if (inContract) expect(result.statusCode).toBeLessThan(500);
          else {
            expect(result.statusCode).toBe(502);
            expect(result.body).not.toContain('secret:');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
