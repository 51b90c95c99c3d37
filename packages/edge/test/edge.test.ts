import { isProblem, matchRoutePath, type Problem } from '@gatehouse/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { createEdgeHandler } from '../src/edge';
import type { EdgeResult } from '../src/respond';
import { ROUTES } from './fixtures/project';
import {
  allowMethodsOf,
  answerAwsError,
  answerFunctionError,
  answerJson,
  answerNever,
  answerRaw,
  CREDENTIALS,
  type EdgeUnderTest,
  httpApiEvent,
  idTokenClaims,
  lambdaContext,
  memoryLogger,
  ORIGIN,
  type StubAnswer,
  startEdge,
  testConfig,
} from './helpers';
import { checkSignature } from './sigv4';

const ANSWER = { answer: 'Acme Corp made a 21% margin in 2024 Q3.', meta: { partner: 'Acme Corp' } };
const ACCOUNT_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:gatehouse-core';

let edge: EdgeUnderTest | undefined;

afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

async function start(env: Record<string, string> = {}, answer: StubAnswer = answerJson(ANSWER)) {
  edge = await startEdge(env, answer);
  return edge;
}

function problemOf(result: EdgeResult): Problem {
  const body: unknown = JSON.parse(String(result.body));
  if (!isProblem(body)) throw new Error(`not a problem body: ${result.body}`);
  return body;
}

describe('edge handler: a good request', () => {
  it('invokes the core with the enriched payload and answers 200 with its JSON', async () => {
    // Prepare
    const { handler, stub } = await start();

    // Act
    const result = await handler(httpApiEvent({ requestId: 'req-ok' }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toEqual(ANSWER);
    expect(result.headers).toMatchObject({
      'content-type': 'application/json',
      'x-request-id': 'req-ok',
      'access-control-allow-origin': ORIGIN,
      'access-control-expose-headers': 'x-request-id, server-timing, retry-after, location',
      vary: 'Origin',
      'cache-control': 'no-store',
    });
    expect(result.headers['server-timing']).toMatch(/^edge;dur=\d+\.\d, core;dur=\d+\.\d$/);
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request?.url).toBe('/2015-03-31/functions/gatehouse-core/invocations');
    expect(request?.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect((await checkSignature(request as NonNullable<typeof request>, CREDENTIALS)).valid).toBe(true);
    expect(request?.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(JSON.parse(String(request?.body))).toEqual({
      input: { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the margin?' },
      pathParameters: {},
      identity: {
        sub: '3f0a5c1e-8e1a-4b5c-9d2e-1f2a3b4c5d6e',
        email: 'jane@example.com',
        username: 'jane',
        groups: ['admins', 'users'],
      },
      requestMeta: {
        requestId: 'req-ok',
        sourceIp: '198.51.100.23',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
        receivedAt: '2026-11-24T10:40:02.000Z',
        routeKey: 'POST /inference',
      },
    });
  });

  it('sends the qualifier of the core target as ?Qualifier=', async () => {
    // Prepare
    const { handler, stub } = await start({ CORE_TARGETS: `figures=${ACCOUNT_ARN}:live` });

    // Act
    await handler(httpApiEvent(), lambdaContext());

    // Assess
    expect(stub.requests[0]?.url).toMatch(
      /\/functions\/arn%3Aaws%3Alambda%3A.*gatehouse-core\/invocations\?Qualifier=live$/,
    );
  });

  it('writes one log line with outcome, status and latencies plus EMF metrics, and no token or body', async () => {
    // Prepare
    const { handler, logs } = await start();
    const event = httpApiEvent({ requestId: 'req-log', headers: { authorization: 'eyJraWQiOiJ0ZXN0.secret.sig' } });

    // Act
    await handler(event, lambdaContext());

    // Assess
    expect(logs.lines).toHaveLength(1);
    const [line] = logs.lines;
    expect(line).toMatchObject({
      level: 'info',
      requestId: 'req-log',
      message: 'request',
      method: 'POST',
      path: '/prod/inference',
      status: 200,
      outcome: 'success',
      coreAttempts: 1,
      Service: 'gatehouse-edge',
      Outcome: 'success',
      Requests: 1,
    });
    expect(typeof line?.edgeMs).toBe('number');
    expect(line?.CoreLatency).toBe(line?.coreMs);
    expect(logs.raw[0]).not.toContain('eyJraWQiOiJ0ZXN0');
    expect(logs.raw[0]).not.toContain('What was the margin');
    expect(logs.raw[0]).not.toContain('21% margin');
  });

  it('still emits its metrics when LOG_LEVEL keeps the request line quiet', async () => {
    // Prepare
    const { handler, logs } = await start({ LOG_LEVEL: 'warn' });

    // Act
    await handler(httpApiEvent(), lambdaContext());

    // Assess
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).not.toHaveProperty('message');
    expect(logs.lines[0]).toMatchObject({ Outcome: 'success', Requests: 1 });
  });
});

describe('edge handler: every invoke outcome', () => {
  it.each([
    [
      'a core NotFoundError',
      answerFunctionError('NotFoundError', 'No partner named "Zed".'),
      404,
      'core_not_found',
      'No partner named "Zed".',
    ],
    [
      'a core ValidationError',
      answerFunctionError('ValidationError', 'Year 1999 has no data.', 'Handled'),
      400,
      'core_invalid_input',
      'Year 1999 has no data.',
    ],
    [
      'an unhandled core error',
      answerFunctionError('TypeError', `Cannot read properties of undefined at ${ACCOUNT_ARN}`),
      502,
      'core_failed',
      undefined,
    ],
    [
      'the core timing out',
      answerRaw(200, JSON.stringify({ errorMessage: 'Task timed out after 3.00 seconds' }), {
        'x-amz-function-error': 'Unhandled',
      }),
      502,
      'core_failed',
      undefined,
    ],
    [
      'an answer too large for Lambda',
      answerFunctionError(
        'Function.ResponseSizeTooLarge',
        'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      ),
      502,
      'core_response_too_large',
      undefined,
    ],
    ['a non-JSON answer', answerRaw(200, 'Internal Server Error'), 502, 'core_bad_response', undefined],
    [
      'function not found',
      answerAwsError(404, 'ResourceNotFoundException', `Function not found: ${ACCOUNT_ARN}`),
      500,
      'misconfigured',
      undefined,
    ],
    [
      'access denied',
      answerAwsError(
        403,
        'AccessDeniedException',
        `User: arn:aws:sts::123456789012:assumed-role/edge is not authorized to perform: lambda:InvokeFunction on resource: ${ACCOUNT_ARN}`,
      ),
      500,
      'misconfigured',
      undefined,
    ],
    [
      'expired credentials',
      answerAwsError(403, 'ExpiredTokenException', 'The security token included in the request is expired'),
      500,
      'misconfigured',
      undefined,
    ],
    [
      'a KMS failure',
      answerAwsError(502, 'KMSAccessDeniedException', `KMS access denied for ${ACCOUNT_ARN}`),
      500,
      'misconfigured',
      undefined,
    ],
    [
      'a payload too large',
      answerAwsError(
        413,
        'RequestTooLargeException',
        'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      ),
      413,
      'payload_too_large',
      undefined,
    ],
    [
      'a Lambda service error',
      answerAwsError(500, 'ServiceException', 'Lambda was unable to process your request.'),
      502,
      'core_failed',
      undefined,
    ],
    [
      'an unknown error type',
      answerAwsError(400, 'BrandNewException', `odd ${ACCOUNT_ARN}`),
      502,
      'core_failed',
      undefined,
    ],
  ])('%s', async (_name, answer, status, code, detail) => {
    // Prepare
    const { handler, logs } = await start({}, answer);

    // Act
    const result = await handler(httpApiEvent({ requestId: 'req-outcome' }), lambdaContext());

    // Assess
    const problem = problemOf(result);
    expect(result.statusCode).toBe(status);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.headers['x-request-id']).toBe('req-outcome');
    expect(result.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(problem).toMatchObject({ status, code, requestId: 'req-outcome' });
    if (detail) expect(problem.detail).toBe(detail);
    expect(result.body).not.toMatch(/arn:aws|123456789012|trace|at handler|Task timed out|Cannot read/);
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatchObject({
      requestId: 'req-outcome',
      status,
      outcome: code,
      level: status >= 500 ? 'error' : 'info',
    });
  });

  it("answers 502 core_response_too_large, and logs it, when its own answer would exceed Lambda's 6 MB", async () => {
    // Prepare: a 3.9 MB core answer of escaped quotes (`\"`), escaped again (`\\\"`) in the edge's own answer
    const quotes = '"'.repeat(1_950_000);
    const { handler, logs } = await start({}, answerJson({ answer: quotes }));

    // Act
    const result = await handler(httpApiEvent({ requestId: 'req-huge' }), lambdaContext());

    // Assess
    expect(Buffer.byteLength(JSON.stringify({ answer: quotes }))).toBeLessThan(6_291_456);
    expect(result.statusCode).toBe(502);
    expect(problemOf(result)).toMatchObject({ code: 'core_response_too_large', requestId: 'req-huge' });
    expect(result.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).toMatchObject({ status: 502, outcome: 'core_response_too_large', level: 'error' });
  });

  it('returns an answer just under the limit as it is', async () => {
    // Prepare: plain ASCII, so the serialised result is the body plus its envelope
    const text = 'a'.repeat(6_200_000);
    const { handler } = await start({}, answerJson({ answer: text }));

    // Act
    const result = await handler(httpApiEvent(), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThanOrEqual(6_291_556);
  });

  it('logs the internals the answer withholds, under the same request id', async () => {
    // Prepare
    const { handler, logs } = await start(
      {},
      answerAwsError(404, 'ResourceNotFoundException', `Function not found: ${ACCOUNT_ARN}`),
    );

    // Act
    await handler(httpApiEvent({ requestId: 'req-misconf' }), lambdaContext());

    // Assess
    expect(logs.lines[0]).toMatchObject({
      requestId: 'req-misconf',
      error: { name: 'FunctionNotFoundError', errorType: 'ResourceNotFoundException', statusCode: 404 },
    });
    expect(logs.raw[0]).toContain(ACCOUNT_ARN);
  });

  it('retries throttling, then answers 503 with Retry-After', async () => {
    // Prepare
    const { handler, stub } = await start(
      {},
      answerAwsError(429, 'TooManyRequestsException', 'Rate Exceeded.', { 'retry-after': '7' }),
    );

    // Act
    const result = await handler(httpApiEvent(), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('7');
    expect(problemOf(result).code).toBe('core_throttled');
    expect(stub.requests.length).toBeGreaterThan(1);
  });

  it('recovers when a throttled call succeeds on retry', async () => {
    // Prepare
    const throttle = answerAwsError(429, 'TooManyRequestsException', 'Rate Exceeded.');
    const succeed = answerJson(ANSWER);
    const { handler, stub } = await start({}, (req, res) =>
      (stub.requests.length === 1 ? throttle : succeed)(req, res),
    );

    // Act
    const result = await handler(httpApiEvent(), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(stub.requests).toHaveLength(2);
  });

  it('answers 504 at its deadline when the core never answers, before Lambda would end the edge', async () => {
    // Prepare
    const { handler, stub } = await start({ CORE_TIMEOUT_MS: '10000' }, answerNever);
    const remainingMs = 1500;
    const started = Date.now();

    // Act
    const result = await handler(httpApiEvent(), lambdaContext(remainingMs));

    // Assess
    const elapsed = Date.now() - started;
    expect(result.statusCode).toBe(504);
    expect(problemOf(result).code).toBe('core_timeout');
    expect(stub.requests).toHaveLength(1);
    // Not a performance threshold: answering after the Lambda's own timeout would mean no answer at all.
    expect(elapsed).toBeLessThan(remainingMs);
  });

  it('honours CORE_TIMEOUT_MS when it is the shorter limit', async () => {
    // Prepare
    const { handler } = await start({ CORE_TIMEOUT_MS: '200' }, answerNever);
    const started = Date.now();

    // Act
    const result = await handler(httpApiEvent(), lambdaContext(29_000));

    // Assess
    expect(result.statusCode).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('edge handler: CORS', () => {
  const preflight = (origin: string) =>
    httpApiEvent({
      method: 'OPTIONS',
      body: undefined,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
      claims: null,
    });

  it("answers a preflight from an allowed origin with 204, the project's route methods and the contract's lists", async () => {
    // Prepare
    const { handler, stub } = await start();

    // Act
    const result = await handler(preflight('http://localhost:5173'), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(204);
    expect(result.body).toBe('');
    expect(result.headers).toMatchObject({
      'access-control-allow-origin': 'http://localhost:5173',
      // The fixture project serves POST /inference, GET and DELETE /items/{id}, POST /ask.
      'access-control-allow-methods': 'POST, GET, DELETE, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, x-request-id, idempotency-key',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(stub.requests).toHaveLength(0);
  });

  it('refuses a preflight from another origin with 403 and no CORS headers', async () => {
    // Prepare
    const { handler } = await start();

    // Act
    const result = await handler(preflight('https://evil.example'), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(403);
    expect(problemOf(result).code).toBe('origin_not_allowed');
    expect(Object.keys(result.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(result.headers.vary).toBe('Origin');
  });

  it('refuses a request from another origin before the core runs, never echoing it', async () => {
    // Prepare
    const { handler, stub } = await start();

    // Act
    const result = await handler(
      httpApiEvent({ headers: { origin: 'https://app.example.com.evil.example' } }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(403);
    expect(problemOf(result).code).toBe('origin_not_allowed');
    expect(result.headers['access-control-allow-origin']).toBeUndefined();
    expect(stub.requests).toHaveLength(0);
  });

  it('serves a request without Origin (curl, servers) without CORS headers, ignoring Referer', async () => {
    // Prepare
    const { handler } = await start();
    const event = httpApiEvent({ headers: { referer: `${ORIGIN}/ask` } });
    delete event.headers.origin;

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers['access-control-allow-origin']).toBeUndefined();
    expect(result.headers.vary).toBe('Origin');
  });

  it('accepts any https origin under an https://* rule, and never answers with *', async () => {
    // Prepare
    const { handler } = await start({ ALLOWED_ORIGINS: 'https://*' });

    // Act
    const result = await handler(
      httpApiEvent({ headers: { origin: 'https://preview-42.example.net' } }),
      lambdaContext(),
    );

    // Assess
    expect(result.headers['access-control-allow-origin']).toBe('https://preview-42.example.net');
  });
});

describe('edge handler: refusals before the core', () => {
  it.each([
    ['GET', 405, 'method_not_allowed'],
    ['PUT', 405, 'method_not_allowed'],
    ['OPTIONS', 405, 'method_not_allowed'],
  ])('answers %s with %i and Allow', async (method, status, code) => {
    // Prepare
    const { handler, stub } = await start();

    // Act
    const result = await handler(httpApiEvent({ method }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers.allow).toBe('POST, OPTIONS');
    expect(problemOf(result).code).toBe(code);
    expect(stub.requests).toHaveLength(0);
  });

  it.each([
    ['no authorizer', { claims: null }, {}, 401, 'unauthorized'],
    ['an access token', { claims: idTokenClaims({ token_use: 'access' }) }, {}, 401, 'wrong_token_use'],
    [
      'a caller outside the required groups',
      { claims: idTokenClaims({ 'cognito:groups': '[users]' }) },
      { REQUIRED_GROUPS: 'admins,finance' },
      403,
      'forbidden',
    ],
    [
      'a form body',
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'cGFydG5lcj1h', isBase64Encoded: true },
      {},
      415,
      'unsupported_media_type',
    ],
    ['an empty body', { body: '' }, {}, 400, 'body_missing'],
    [
      'a body over MAX_BODY_BYTES',
      { body: JSON.stringify({ question: 'x'.repeat(300) }) },
      { MAX_BODY_BYTES: '256' },
      413,
      'payload_too_large',
    ],
    ['broken base64', { body: '%%%%', isBase64Encoded: true }, {}, 400, 'invalid_body_encoding'],
    ['invalid JSON', { body: '{"partner": "Acme",' }, {}, 400, 'invalid_json'],
    [
      'a schema failure',
      { body: JSON.stringify({ partner: 'Acme', year: 'last', period: 'Q9', question: 'q' }) },
      {},
      422,
      'validation_failed',
    ],
  ])('refuses %s before the core is called', async (_name, options, env, status, code) => {
    // Prepare
    const { handler, stub } = await start(env);

    // Act
    const result = await handler(httpApiEvent({ requestId: 'req-refused', ...options }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.headers['x-request-id']).toBe('req-refused');
    expect(result.headers['server-timing']).toMatch(/^edge;dur=\d+\.\d$/);
    expect(problemOf(result)).toMatchObject({
      code,
      status,
      requestId: 'req-refused',
      type: `urn:gatehouse:problem:${code}`,
    });
    expect(stub.requests).toHaveLength(0);
  });

  it('lists each failing field for a schema failure', async () => {
    // Prepare
    const { handler } = await start();

    // Act
    const result = await handler(
      httpApiEvent({ body: JSON.stringify({ partner: 'Acme', year: 'last', period: 'Q9', question: 'q' }) }),
      lambdaContext(),
    );

    // Assess
    expect(
      problemOf(result)
        .errors?.map((e) => e.path)
        .sort(),
    ).toEqual(['period', 'year']);
  });
});

describe('edge handler: its own failures', () => {
  it('answers 500 internal, never throwing, when something unexpected breaks', async () => {
    // Prepare
    const logs = memoryLogger();
    const handler = createEdgeHandler({
      routes: ROUTES,
      allowMethods: allowMethodsOf(ROUTES),
      matchPath: matchRoutePath,
      config: testConfig(),
      client: {
        invoke: () => {
          throw new TypeError('a bug in the edge');
        },
      },
      logger: logs.logger,
      service: 'gatehouse-edge',
    });

    // Act
    const result = await handler(httpApiEvent({ requestId: 'req-bug' }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(500);
    expect(problemOf(result)).toMatchObject({ code: 'internal', requestId: 'req-bug' });
    expect(result.body).not.toContain('a bug in the edge');
    expect(logs.lines[0]).toMatchObject({ level: 'error', error: { name: 'TypeError', message: 'a bug in the edge' } });
  });

  it('refuses to be built for routes with {parameters} without a path matcher, rather than answer 404 to their paths', () => {
    expect(() =>
      createEdgeHandler({
        routes: ROUTES,
        allowMethods: allowMethodsOf(ROUTES),
        config: testConfig(),
        client: { invoke: () => Promise.reject(new Error('not called')) },
        logger: memoryLogger().logger,
        service: 'gatehouse-edge',
      }),
    ).toThrow(/need a path matcher \(matchRoutePath\)/);
  });
});
