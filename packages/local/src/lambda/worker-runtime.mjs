/**
 * The runtime inside one local Lambda worker process — the part AWS calls the runtime interface
 * client. It imports the bundle once (the init phase), then runs one invocation at a time as the
 * parent asks over IPC, with a Lambda-shaped context and AWS's error payloads.
 *
 * Plain ESM JavaScript on purpose: it starts with bare `node`, so a cold start costs what a bundle's
 * import costs and nothing for a TypeScript loader.
 *
 * argv: <bundle path> <handler export>. Static settings (name, memory, ARN) come from the
 * environment the parent sets, as on AWS.
 */

import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const [bundlePath, handlerExport] = process.argv.slice(2);
const env = process.env;

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

function send(message) {
  process.send?.(message);
}

async function init() {
  let module;
  try {
    module = await import(pathToFileURL(bundlePath).href);
  } catch (error) {
    const notFound = error?.code === 'ERR_MODULE_NOT_FOUND';
    send({
      type: 'init-error',
      payload: notFound ? runtimeErrorPayload(error, 'Runtime.ImportModuleError') : errorPayload(error),
    });
    return undefined;
  }
  const handler = module[handlerExport];
  if (typeof handler !== 'function') {
    send({
      type: 'init-error',
      payload: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `index.${handlerExport} is undefined or not exported`,
        trace: [],
      },
    });
    return undefined;
  }
  return handler;
}

function makeContext(invocation) {
  return {
    awsRequestId: invocation.requestId,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: invocation.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadlineMs - Date.now()),
  };
}

/** Runs the handler in either style Node.js 22 on Lambda accepts: async, or with a callback. */
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

// The parent is the Lambda service; without it nobody will ever ask for or read an answer.
process.on('disconnect', () => process.exit(0));

const handler = await init();
if (handler) {
  process.on('unhandledRejection', (reason) => {
    send({
      type: 'error',
      fatal: true,
      requestId: currentRequestId,
      payload: runtimeErrorPayload(reason, 'Runtime.UnhandledPromiseRejection'),
    });
    process.exit(128);
  });
  process.on('uncaughtException', (error) => {
    send({ type: 'error', fatal: true, requestId: currentRequestId, payload: errorPayload(error) });
    process.exit(129);
  });
  process.on('message', async (invocation) => {
    currentRequestId = invocation.requestId;
    try {
      const event = JSON.parse(invocation.event);
      const result = await runHandler(handler, event, makeContext(invocation));
      send({ type: 'result', requestId: invocation.requestId, payload: JSON.stringify(result) ?? 'null' });
    } catch (error) {
      send({ type: 'error', requestId: invocation.requestId, payload: errorPayload(error) });
    } finally {
      currentRequestId = undefined;
    }
  });
  send({ type: 'ready' });
}
