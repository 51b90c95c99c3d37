/**
 * The Node.js runtime of a local execution environment — the part AWS calls the runtime interface
 * client. It imports the handler's module once (the init phase), then loops: take the next event,
 * run the handler with a Lambda-shaped context, send the result or AWS's error payload. Events come
 * on descriptor 3 and answers go out on descriptor 4, pipes only the service holds, in the frames
 * of runtime-frames.mjs (the service's runtime-pipe.ts says why not the Runtime API over HTTP).
 *
 * Plain ESM JavaScript on purpose: it starts with bare `node`, so a cold start costs what the
 * module's import costs and nothing for a TypeScript loader.
 */

import { existsSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { encodeFrame, FrameReader } from './runtime-frames.mjs';

const env = process.env;
const EVENTS_FD = 3;
const ANSWERS_FD = 4;
/** Lambda's limit for an event; the service never sends more. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024 + 1024;

/** @type {string | undefined} the invocation in flight; `undefined` between invocations */
let currentRequestId;

/** AWS's Node.js runtime prefixes every console line with time, request id and level. */
for (const [method, level] of [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
]) {
  const stream = level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout;
  console[method] = (...args) => {
    stream.write(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}\n`);
  };
}

/**
 * Sends one frame to the service. A blocking write: the answer is in the pipe before anything else
 * runs, so a runtime that exits right after (a crash, `process.exit`) never loses it.
 */
function send(header, payload) {
  const frame = encodeFrame(header, payload);
  for (let written = 0; written < frame.length; ) written += writeSync(ANSWERS_FD, frame, written);
}

/** The events the service sends, one at a time; the next one resolves `next()`. */
const events = (() => {
  const reader = new FrameReader({ maxHeaderBytes: 64 * 1024, maxPayloadBytes: MAX_EVENT_BYTES });
  const queued = [];
  let waiter;
  let ended = false;
  const finish = () => {
    ended = true;
    waiter?.(undefined);
    waiter = undefined;
  };
  const pipe = new Socket({ fd: EVENTS_FD, readable: true, writable: false });
  pipe.on('data', (chunk) => {
    for (const frame of reader.push(chunk)) {
      if (frame.header.type !== 'invoke' || !frame.payload) continue;
      if (waiter) {
        waiter(frame);
        waiter = undefined;
      } else queued.push(frame);
    }
  });
  pipe.on('end', finish);
  pipe.on('error', finish);
  return {
    /** The next event, or `undefined` once the service has closed the channel. */
    next: () => (queued.length > 0 ? queued.shift() : ended ? undefined : new Promise((resolve) => (waiter = resolve))),
  };
})();

function errorPayload(error, errorType) {
  if (error instanceof Error) {
    return {
      errorType: errorType ?? error.name ?? 'Error',
      errorMessage: error.message,
      trace: String(error.stack ?? '').split('\n'),
    };
  }
  return { errorType: errorType ?? typeof error, errorMessage: String(error), trace: [] };
}

/** The runtime's own failures carry the original error's text in the message, as AWS does. */
function runtimeErrorPayload(error, errorType) {
  const base = errorPayload(error);
  return { ...base, errorType, errorMessage: `${base.errorType}: ${base.errorMessage}` };
}

function sendError(type, requestId, payload) {
  send({ type, requestId, errorType: payload.errorType }, JSON.stringify(payload));
}

/** `dir/module.fn.nested` → the module file (`.js`, `.mjs` or `.cjs`, as AWS looks) and the export path. */
function resolveHandler(handlerString) {
  const slash = handlerString.lastIndexOf('/');
  const dot = handlerString.indexOf('.', slash + 1);
  if (dot < 0) return { modulePath: handlerString, exportPath: [] };
  const modulePath = handlerString.slice(0, dot);
  return { modulePath, exportPath: handlerString.slice(dot + 1).split('.') };
}

async function init() {
  const handlerString = env._HANDLER ?? 'index.handler';
  const { modulePath, exportPath } = resolveHandler(handlerString);
  if (exportPath.length === 0) {
    return {
      error: { errorType: 'Runtime.MalformedHandlerName', errorMessage: `Bad handler ${handlerString}`, trace: [] },
    };
  }
  const root = env.LAMBDA_TASK_ROOT ?? process.cwd();
  const file = ['.js', '.mjs', '.cjs'].map((ext) => path.resolve(root, modulePath + ext)).find((f) => existsSync(f));
  if (!file) {
    return {
      error: {
        errorType: 'Runtime.ImportModuleError',
        errorMessage: `Error: Cannot find module '${modulePath}' (looked for ${modulePath}.js, .mjs and .cjs in ${root})`,
        trace: [],
      },
    };
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    const notFound = error?.code === 'ERR_MODULE_NOT_FOUND';
    return { error: notFound ? runtimeErrorPayload(error, 'Runtime.ImportModuleError') : errorPayload(error) };
  }
  const handler = exportPath.reduce((value, key) => value?.[key], module);
  if (typeof handler !== 'function') {
    return {
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${handlerString} is undefined or not exported`,
        trace: [],
      },
    };
  }
  return { handler };
}

function makeContext(invocation) {
  const deadlineMs = invocation.deadlineMs;
  const context = {
    awsRequestId: invocation.requestId,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: invocation.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  if (invocation.clientContext) context.clientContext = JSON.parse(invocation.clientContext);
  if (invocation.cognitoIdentity) context.identity = JSON.parse(invocation.cognitoIdentity);
  return context;
}

/** Runs the handler in either style Node.js on Lambda accepts: async, or with a callback. */
function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error ? reject(error) : resolve(result));
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    } catch (error) {
      reject(error);
    }
  });
}

/** A crash between or during invocations: report it for the invocation in flight, then exit. */
function fatal(payload, code) {
  const requestId = currentRequestId;
  console.error(`${payload.errorType}: ${payload.errorMessage}`);
  if (requestId) trySend(() => sendError('error', requestId, payload));
  process.exit(code);
}

/** A send whose failure means the service has ended this environment: nothing is left to tell. */
function trySend(sending) {
  try {
    sending();
    return true;
  } catch {
    return false;
  }
}

const { handler, error } = await init();
if (!handler) {
  trySend(() => sendError('init-error', undefined, error));
  process.exit(1);
}
process.on('unhandledRejection', (reason) =>
  fatal(runtimeErrorPayload(reason, 'Runtime.UnhandledPromiseRejection'), 128),
);
process.on('uncaughtException', (error) => fatal(errorPayload(error), 129));

// Init is done: the service may hand over the first event (the Runtime API's first `/next`).
if (!trySend(() => send({ type: 'ready' }))) process.exit(0);
for (;;) {
  const frame = await events.next();
  // The channel is closed: the service has ended this environment.
  if (!frame) process.exit(0);
  const invocation = frame.header;
  const requestId = invocation.requestId;
  currentRequestId = requestId;
  env._X_AMZN_TRACE_ID = invocation.traceId;
  let answered;
  try {
    const result = await runHandler(handler, JSON.parse(frame.payload.toString('utf8')), makeContext(invocation));
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch (marshal) {
      throw Object.assign(new Error(`Unable to stringify response body as json: ${marshal.message}`), {
        name: 'Runtime.MarshalError',
      });
    }
    answered = trySend(() => send({ type: 'response', requestId }, body));
  } catch (failure) {
    answered = trySend(() => sendError('error', requestId, errorPayload(failure)));
  }
  currentRequestId = undefined;
  if (!answered) process.exit(1);
}
