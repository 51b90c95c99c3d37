/**
 * The Node.js runtime of a local execution environment — the part AWS calls the runtime interface
 * client. It imports the handler's module once (the init phase), then loops on the Lambda Runtime
 * API (`AWS_LAMBDA_RUNTIME_API`): take the next event, run the handler with a Lambda-shaped
 * context, post the result or AWS's error payload. One keep-alive connection carries it all.
 *
 * Plain ESM JavaScript on purpose: it starts with bare `node`, so a cold start costs what the
 * module's import costs and nothing for a TypeScript loader.
 */

import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const env = process.env;
const [apiHost, apiPort] = (env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const BASE = '/2018-06-01/runtime';

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

/** One Runtime API call; the body comes back as a string. */
function call(method, route, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      {
        host: apiHost,
        port: apiPort,
        method,
        path: `${BASE}${route}`,
        agent,
        headers: payload ? { ...headers, 'content-length': payload.length } : headers,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setNoDelay(true);
    req.end(payload);
  });
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

function postError(route, payload) {
  return call('POST', route, JSON.stringify(payload), {
    'content-type': 'application/json',
    'lambda-runtime-function-error-type': payload.errorType,
  });
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

function makeContext(headers) {
  const deadlineMs = Number(headers['lambda-runtime-deadline-ms']);
  const context = {
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  if (headers['lambda-runtime-client-context'])
    context.clientContext = JSON.parse(headers['lambda-runtime-client-context']);
  if (headers['lambda-runtime-cognito-identity'])
    context.identity = JSON.parse(headers['lambda-runtime-cognito-identity']);
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
async function fatal(payload, code) {
  const requestId = currentRequestId;
  console.error(`${payload.errorType}: ${payload.errorMessage}`);
  if (requestId) await postError(`/invocation/${requestId}/error`, payload).catch(() => {});
  process.exit(code);
}

const { handler, error } = await init();
if (!handler) {
  await postError('/init/error', error).catch(() => {});
  process.exit(1);
}
process.on(
  'unhandledRejection',
  (reason) => void fatal(runtimeErrorPayload(reason, 'Runtime.UnhandledPromiseRejection'), 128),
);
process.on('uncaughtException', (error) => void fatal(errorPayload(error), 129));

for (;;) {
  let next;
  try {
    next = await call('GET', '/invocation/next');
  } catch {
    // The Runtime API is gone: the service has ended this environment.
    process.exit(0);
  }
  if (next.status !== 200) {
    // Never run the handler on an error answer: as AWS's runtime client does, end the environment
    // (a refused `/next` answered again at once would spin the handler on the error body).
    process.stderr.write(`Runtime API answered /next with ${next.status}: ${next.body.slice(0, 200)}\n`);
    process.exit(1);
  }
  const requestId = next.headers['lambda-runtime-aws-request-id'];
  currentRequestId = requestId;
  env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
  let answer;
  try {
    const result = await runHandler(handler, JSON.parse(next.body), makeContext(next.headers));
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch (marshal) {
      throw Object.assign(new Error(`Unable to stringify response body as json: ${marshal.message}`), {
        name: 'Runtime.MarshalError',
      });
    }
    answer = call('POST', `/invocation/${requestId}/response`, body, { 'content-type': 'application/json' });
  } catch (failure) {
    answer = postError(`/invocation/${requestId}/error`, errorPayload(failure));
  }
  const posted = await answer.catch(() => ({ status: 500 }));
  currentRequestId = undefined;
  if (posted.status >= 500) process.exit(1);
}
