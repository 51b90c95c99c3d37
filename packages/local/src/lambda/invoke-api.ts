/**
 * The Lambda Invoke API over HTTP (`POST /2015-03-31/functions/{FunctionName}/invocations`), with
 * AWS's status codes, headers and error bodies, so an unmodified SDK or SigV4 client pointed here
 * through `AWS_ENDPOINT_URL_LAMBDA` behaves as against AWS. Callers must sign with the local
 * credential, and web pages are refused (invoke-admission.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalKeys } from '../iam';
import type { InvocationRequest } from './execution-environment';
import { InvocationAbandonedError, MAX_EVENT_BYTES, MAX_REQUEST_BYTES, ThrottledError } from './function-errors';
import type { PoolInvokeOptions, PoolOutcome } from './function-pool';
import { type FunctionReference, parseFunctionReference, referencedArn } from './function-reference';
import { refuseInvokeBeforeBody, verifyInvokeSignature } from './invoke-admission';
import { RemoteInvokeError } from './remote-function';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** A function the Invoke API can run: a local pool, or a remote function on AWS. */
export interface Invocable {
  invoke(request: InvocationRequest, options?: PoolInvokeOptions): Promise<PoolOutcome>;
}

export interface InvokeTarget {
  region: string;
  /** The only credential whose signatures are admitted. */
  credential: LocalKeys;
  function(name: string): Invocable | undefined;
  /** Reports asynchronous (`Event`) invocations' failures, which have no caller to answer. */
  onEventError(name: string, error: string): void;
}

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    /** More fields of AWS's error body (`Reason`). */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Lambda's answer to a synchronous invoke past the function's reserved concurrency. */
const throttled = () =>
  new ServiceError(429, 'TooManyRequestsException', 'Rate Exceeded.', {
    Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
  });

export async function handleInvoke(target: InvokeTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  res.setHeader('x-amzn-RequestId', requestId);
  try {
    const refusal = refuseInvokeBeforeBody(req);
    if (refusal) {
      req.resume();
      throw new ServiceError(refusal.status, refusal.errorType, refusal.message);
    }
    await invoke(target, requestId, req, res);
  } catch (error) {
    // Dropped because its caller closed the connection: there is nobody to answer.
    if (error instanceof InvocationAbandonedError) return;
    const fault = serviceError(error);
    res.writeHead(fault.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': fault.errorType });
    const type = fault.status < 500 ? 'User' : 'Service';
    // AWS spells the throttling body's message in lower case.
    const message = fault.status === 429 ? { message: fault.message } : { Message: fault.message };
    res.end(JSON.stringify({ ...fault.fields, Type: type, ...message }));
  }
}

async function invoke(
  target: InvokeTarget,
  requestId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://lambda.local');
  const match = INVOKE_PATH.exec(url.pathname);
  if (!match?.[1]) throw new ServiceError(404, 'UnknownOperationException', 'Unknown operation');
  if (req.method !== 'POST')
    throw new ServiceError(405, 'MethodNotAllowedException', `Method ${req.method} not allowed`);
  // Signed before anything about the functions is answered: an unsigned caller learns no names.
  const body = await readBody(req);
  const badSignature = await verifyInvokeSignature(req, body, target.credential, target.region);
  if (badSignature) throw new ServiceError(badSignature.status, badSignature.errorType, badSignature.message);
  const reference = parseFunctionReference(
    decodeURIComponent(match[1]),
    url.searchParams.get('Qualifier'),
    target.region,
  );
  if (!reference) throw invalidFunctionName(match[1]);
  const fn = localFunction(target, reference);
  const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  const event = body.length === 0 ? '{}' : body.toString('utf8');
  try {
    JSON.parse(event);
  } catch (error) {
    throw new ServiceError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
  const request: InvocationRequest = { requestId, event, invokedFunctionArn: referencedArn(reference, target.region) };
  const traceId = header(req, 'x-amzn-trace-id');
  if (traceId) request.traceId = traceId;
  const clientContext = header(req, 'x-amz-client-context');
  if (clientContext) request.clientContext = Buffer.from(clientContext, 'base64').toString('utf8');

  if (invocationType === 'DryRun') {
    res.writeHead(204).end();
    return;
  }
  if (invocationType === 'Event') {
    if (body.length > MAX_EVENT_BYTES) {
      throw new ServiceError(
        413,
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_EVENT_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    // Lambda's own queue: the event waits for a free environment, and is never retried here (as
    // with MaximumRetryAttempts: 0, which gatehouse's job runner sets on AWS).
    fn.invoke(request, { queue: true }).then(
      (outcome) => {
        if (outcome.kind === 'function-error') target.onEventError(reference.name, JSON.stringify(outcome.payload));
      },
      (error: Error) => target.onEventError(reference.name, error.message),
    );
    res.writeHead(202).end();
    return;
  }
  if (invocationType !== 'RequestResponse') {
    throw new ServiceError(400, 'InvalidParameterValueException', `Unsupported invocation type: ${invocationType}`);
  }

  // The caller closing its connection (the edge at its deadline, the gateway at 30 s) drops an
  // invocation still waiting for an environment: it must not run after its caller has an answer.
  const callerGone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) callerGone.abort();
  });
  const outcome = await fn.invoke(request, { signal: callerGone.signal });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' };
  if (outcome.kind === 'function-error') headers['X-Amz-Function-Error'] = 'Unhandled';
  const payload = outcome.kind === 'success' ? outcome.payload : JSON.stringify(outcome.payload);
  res.writeHead(200, headers);
  res.end(payload);
}

/** What a caller in the Lambda service's own process gets from a synchronous invoke. */
export type DirectInvokeOutcome =
  | PoolOutcome
  /** What the Invoke API would have answered with this status, `x-amzn-ErrorType` and message. */
  | { kind: 'service-error'; status: number; errorType: string; message: string };

/**
 * A synchronous (`RequestResponse`) invocation for a caller in the Lambda service's own process
 * (the stack's gateway): the same function lookup, request id, ARN, size limit, throttling and
 * error answers as `handleInvoke`, minus the HTTP exchange and its SigV4 signature, which only
 * admit callers from outside the process. `event` is JSON the caller serialised itself, so it is
 * handed to the runtime as is, never parsed again. Aborting `signal` drops an invocation still
 * waiting for an environment, as the HTTP caller closing its connection does.
 */
export async function invokeDirect(
  target: InvokeTarget,
  functionName: string,
  event: string,
  signal: AbortSignal,
): Promise<DirectInvokeOutcome> {
  try {
    // In the order `handleInvoke` answers: the body's size is refused before any name is looked up.
    if (Buffer.byteLength(event) > MAX_REQUEST_BYTES) throw requestTooLarge();
    const reference = parseFunctionReference(functionName, null, target.region);
    if (!reference) throw invalidFunctionName(functionName);
    const fn = localFunction(target, reference);
    const request: InvocationRequest = {
      requestId: randomUUID(),
      event,
      invokedFunctionArn: referencedArn(reference, target.region),
    };
    return await fn.invoke(request, { signal });
  } catch (error) {
    const fault = serviceError(error);
    return { kind: 'service-error', status: fault.status, errorType: fault.errorType, message: fault.message };
  }
}

/** The function a reference names here: `$LATEST` of a local name or of this service's ARN. */
function localFunction(target: InvokeTarget, reference: FunctionReference): Invocable {
  const fn =
    reference.local && (reference.qualifier ?? '$LATEST') === '$LATEST' ? target.function(reference.name) : undefined;
  if (!fn)
    throw new ServiceError(
      404,
      'ResourceNotFoundException',
      `Function not found: ${referencedArn(reference, target.region)}`,
    );
  return fn;
}

function invalidFunctionName(raw: string): ServiceError {
  return new ServiceError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint`,
  );
}

function requestTooLarge(): ServiceError {
  return new ServiceError(
    413,
    'RequestTooLargeException',
    `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`,
  );
}

function serviceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof ThrottledError) return throttled();
  if (error instanceof RemoteInvokeError) return new ServiceError(error.status, error.errorType, error.message);
  return new ServiceError(500, 'ServiceException', 'The Lambda service failed.');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the body, refusing (and draining) anything over Lambda's 6 MB synchronous limit. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  if (Number(header(req, 'content-length') ?? 0) > MAX_REQUEST_BYTES) {
    req.resume();
    throw requestTooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      req.resume();
      throw requestTooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
