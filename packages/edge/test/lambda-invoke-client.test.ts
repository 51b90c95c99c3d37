import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionTarget } from '../src/function-target';
import {
  FunctionNotFoundError,
  InvokeAccessError,
  InvokeNetworkError,
  InvokeResponseTooLargeError,
  InvokeThrottledError,
  InvokeTimeoutError,
  LambdaServiceError,
  UnknownInvokeError,
} from '../src/invoke-errors';
import { LambdaInvokeClient, MAX_RESPONSE_BYTES } from '../src/lambda-invoke-client';
import {
  answerAwsError,
  answerFunctionError,
  answerJson,
  answerNever,
  answerRaw,
  awsEnvironment,
  CREDENTIALS,
  type InvokeStub,
  startInvokeStub,
} from './helpers';
import { checkSignature } from './sigv4';

const PAYLOAD = JSON.stringify({ input: { question: 'q' } });
const CORE: FunctionTarget = { functionName: 'gatehouse-core', qualifier: undefined };

let stub: InvokeStub;
let client: LambdaInvokeClient;

beforeAll(async () => {
  stub = await startInvokeStub();
  client = new LambdaInvokeClient(awsEnvironment(stub.endpoint));
});

afterEach(() => {
  stub.requests.length = 0;
  stub.answer = answerJson({ answer: 'ok' });
});

afterAll(async () => {
  client.close();
  await stub.close();
});

function invoke(target = CORE, signal = AbortSignal.timeout(5000)) {
  return client.invoke(target, PAYLOAD, signal);
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('LambdaInvokeClient request', () => {
  it('POSTs the payload to the Invoke path as RequestResponse, SigV4-signed with the session token', async () => {
    // Act
    const result = await invoke();

    // Assess
    const [request] = stub.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/2015-03-31/functions/gatehouse-core/invocations');
    expect(request?.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(request?.body.toString()).toBe(PAYLOAD);
    const signature = await checkSignature(request as NonNullable<typeof request>, CREDENTIALS);
    expect(signature).toMatchObject({
      valid: true,
      accessKeyId: CREDENTIALS.accessKeyId,
      region: 'eu-west-1',
      service: 'lambda',
    });
    expect(signature.signedHeaders).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-invocation-type']),
    );
    expect(result.functionError).toBeUndefined();
    expect(JSON.parse(result.payload.toString())).toEqual({ answer: 'ok' });
  });

  it('sends an ARN in the path and its qualifier as ?Qualifier=, still validly signed', async () => {
    // Prepare
    const target = { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:gatehouse-core', qualifier: 'live' };

    // Act
    await invoke(target);

    // Assess
    const [request] = stub.requests;
    expect(request?.url).toBe(
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Agatehouse-core/invocations?Qualifier=live',
    );
    expect((await checkSignature(request as NonNullable<typeof request>, CREDENTIALS)).valid).toBe(true);
  });

  it('detects a tampered signature (the check can fail)', async () => {
    // Act
    await invoke();

    // Assess
    const [request] = stub.requests;
    const tampered = { ...(request as NonNullable<typeof request>), body: Buffer.from('{"input":"other"}') };
    expect((await checkSignature(tampered, CREDENTIALS)).valid).toBe(false);
  });

  it('reuses one keep-alive connection across calls', async () => {
    // Act
    await invoke();
    await invoke();
    await invoke();

    // Assess
    const ports = new Set(stub.requests.map((r) => r.remotePort));
    expect(stub.requests.map((r) => r.headers.connection)).toEqual(['keep-alive', 'keep-alive', 'keep-alive']);
    expect(ports.size).toBe(1);
  });

  it('opens a fresh connection after a pause longer than its idle limit (a thawed container)', async () => {
    // Prepare
    const thawing = new LambdaInvokeClient(awsEnvironment(stub.endpoint), 10);

    // Act
    await thawing.invoke(CORE, PAYLOAD, AbortSignal.timeout(5000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await thawing.invoke(CORE, PAYLOAD, AbortSignal.timeout(5000));

    // Assess
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[0]?.remotePort).not.toBe(stub.requests[1]?.remotePort);
    thawing.close();
  });
});

describe('LambdaInvokeClient answers', () => {
  it('reports a function error from X-Amz-Function-Error with its payload', async () => {
    // Prepare
    stub.answer = answerFunctionError('NotFoundError', 'No partner "Zed".');

    // Act
    const result = await invoke();

    // Assess
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload.toString())).toMatchObject({
      errorType: 'NotFoundError',
      errorMessage: 'No partner "Zed".',
    });
  });

  it.each([
    [404, 'ResourceNotFoundException', FunctionNotFoundError],
    [403, 'AccessDeniedException', InvokeAccessError],
    [403, 'ExpiredTokenException', InvokeAccessError],
    [500, 'ServiceException', LambdaServiceError],
  ])('maps %i %s from x-amzn-ErrorType', async (status, errorType, expected) => {
    // Prepare
    stub.answer = answerAwsError(
      status,
      `${errorType}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
      'm',
    );

    // Act
    const error = await rejectionOf(invoke());

    // Assess
    expect(error).toBeInstanceOf(expected);
    expect(error).toMatchObject({ errorType, statusCode: status });
  });

  it('reads the error type from a body __type when the header is missing', async () => {
    // Prepare
    stub.answer = answerRaw(
      403,
      JSON.stringify({ __type: 'com.amazon.coral.service#UnrecognizedClientException', message: 'bad key' }),
    );

    // Act
    const error = await rejectionOf(invoke());

    // Assess
    expect(error).toBeInstanceOf(InvokeAccessError);
    expect(error.message).toContain('bad key');
  });

  it('reads Retry-After from the header, else from the body', async () => {
    // Prepare
    stub.answer = answerAwsError(429, 'TooManyRequestsException', 'Rate Exceeded.', { 'retry-after': '4' });
    const fromHeader = await rejectionOf(invoke());
    stub.answer = answerRaw(
      429,
      JSON.stringify({
        Type: 'User',
        message: 'Rate Exceeded.',
        retryAfterSeconds: '2',
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      }),
      {
        'x-amzn-errortype': 'TooManyRequestsException',
      },
    );

    // Act
    const fromBody = await rejectionOf(invoke());

    // Assess
    expect(fromHeader).toBeInstanceOf(InvokeThrottledError);
    expect((fromHeader as InvokeThrottledError).retryAfterSeconds).toBe(4);
    expect((fromBody as InvokeThrottledError).retryAfterSeconds).toBe(2);
  });

  it('keeps an error with no type as unknown, labelled by its status', async () => {
    // Prepare
    stub.answer = answerRaw(418, 'teapot');

    // Act
    const error = await rejectionOf(invoke());

    // Assess
    expect(error).toBeInstanceOf(UnknownInvokeError);
    expect(error).toMatchObject({ errorType: 'HTTP418' });
  });

  it('stops reading an answer larger than a synchronous invoke can carry', async () => {
    // Prepare
    const big = Buffer.alloc(MAX_RESPONSE_BYTES + 1024, 0x61);
    stub.answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(big);
    };

    // Act
    const error = await rejectionOf(invoke());

    // Assess
    expect(error).toBeInstanceOf(InvokeResponseTooLargeError);
  });

  it('gives up when the signal aborts, destroying the request', async () => {
    // Prepare
    stub.answer = answerNever;

    // Act
    const error = await rejectionOf(invoke(CORE, AbortSignal.timeout(200)));

    // Assess
    expect(error).toBeInstanceOf(InvokeTimeoutError);
    expect(stub.requests).toHaveLength(1);
  });

  it('refuses at once with an already-aborted signal', async () => {
    // Act
    const error = await rejectionOf(invoke(CORE, AbortSignal.abort()));

    // Assess
    expect(error).toBeInstanceOf(InvokeTimeoutError);
    expect(stub.requests).toHaveLength(0);
  });

  it('reports a refused connection as a network error', async () => {
    // Prepare
    const closed = await startInvokeStub();
    const endpoint = closed.endpoint;
    await closed.close();
    const offline = new LambdaInvokeClient(awsEnvironment(endpoint));

    // Act
    const error = await rejectionOf(offline.invoke(CORE, PAYLOAD, AbortSignal.timeout(5000)));

    // Assess
    expect(error).toBeInstanceOf(InvokeNetworkError);
    expect(error).toMatchObject({ errorType: 'ECONNREFUSED' });
    offline.close();
  });
});

describe('trace header', () => {
  it('sends the invocation trace header when linking traces, and none otherwise', async () => {
    // Prepare
    const stub = await startInvokeStub(answerJson({ ok: true }));
    const traced = new LambdaInvokeClient(awsEnvironment(stub.endpoint), undefined, () => 'Root=1-abc-def;Sampled=1');
    const plain = new LambdaInvokeClient(awsEnvironment(stub.endpoint));

    // Act
    await traced.invoke({ functionName: 'core', qualifier: undefined }, '{}', AbortSignal.timeout(5000));
    await plain.invoke({ functionName: 'core', qualifier: undefined }, '{}', AbortSignal.timeout(5000));
    traced.close();
    plain.close();
    await stub.close();

    // Assess
    expect(stub.requests[0]?.headers['x-amzn-trace-id']).toBe('Root=1-abc-def;Sampled=1');
    expect(stub.requests[1]?.headers['x-amzn-trace-id']).toBeUndefined();
  });
});
