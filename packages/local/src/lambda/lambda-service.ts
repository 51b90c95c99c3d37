/**
 * The local Lambda service: a registry of functions, each run in its own pool of worker processes,
 * served through the Invoke API. Functions get the environment Lambda gives them (region, name,
 * memory, dummy credentials for their own AWS calls, log group) plus their own variables, and are
 * reloaded when their bundle file changes.
 */
import { type FSWatcher, watch } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { listen } from '../net/listen';
import type { FunctionDefinition } from './function-definition';
import { FunctionPool } from './function-pool';
import { handleInvoke } from './invoke-api';
import type { LogSink } from './worker';

export interface LambdaServiceOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  region?: string;
  functions: FunctionDefinition[];
  /** Worker output, one line at a time; default: dropped. */
  onLog?: LogSink;
  /** Recycle a function's workers when its bundle file changes (default true). */
  reloadOnChange?: boolean;
}

export interface LambdaService {
  url: string;
  port: number;
  region: string;
  register(definition: FunctionDefinition): void;
  /** Retires the function's workers; its next invocation cold-starts the bundle again. */
  reload(name: string): void;
  pool(name: string): FunctionPool | undefined;
  pools(): FunctionPool[];
  close(): Promise<void>;
}

/** Credentials the local functions sign with; the local services do not check signatures. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'AKIAGATEHOUSELOCAL00', secretAccessKey: 'gatehouse-local-secret' };

const RELOAD_DEBOUNCE_MS = 50;

export async function startLambdaService(options: LambdaServiceOptions): Promise<LambdaService> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const log: LogSink = options.onLog ?? (() => {});
  const pools = new Map<string, FunctionPool>();
  const watchers = new Map<string, FSWatcher>();
  /** Pools replaced by `register` that may still be finishing invocations. */
  const retired = new Set<FunctionPool>();

  const reload = (name: string) => pools.get(name)?.recycle();

  const watchBundle = (definition: FunctionDefinition) => {
    if (options.reloadOnChange === false) return;
    let timer: NodeJS.Timeout | undefined;
    const file = path.basename(definition.bundlePath);
    const watcher = watch(path.dirname(definition.bundlePath), (_event, changed) => {
      if (changed !== file) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        reload(definition.name);
        log(definition.name, 'stderr', 'bundle changed; next invocation cold-starts the new code');
      }, RELOAD_DEBOUNCE_MS);
    });
    watcher.on('error', () => watcher.close());
    watchers.set(definition.name, watcher);
  };

  const register = (definition: FunctionDefinition) => {
    const previous = pools.get(definition.name);
    if (previous) {
      previous.retire();
      retired.add(previous);
    }
    watchers.get(definition.name)?.close();
    pools.set(definition.name, new FunctionPool(definition, lambdaEnvironment(definition, region), log));
    watchBundle(definition);
  };

  for (const definition of options.functions) register(definition);

  const server: Server = createServer((req, res) => {
    void handleInvoke(
      {
        region,
        pool: (name) => pools.get(name),
        onEventError: (name, error) => log(name, 'stderr', `async invocation failed: ${error}`),
      },
      req,
      res,
    );
  });
  server.keepAliveTimeout = 65_000;
  await listen(server, options.port, host, 'Lambda service', '--lambda-port');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    port,
    region,
    register,
    reload,
    pool: (name) => pools.get(name),
    pools: () => [...pools.values(), ...retired],
    async close() {
      for (const watcher of watchers.values()) watcher.close();
      await Promise.all([...pools.values(), ...retired].map((pool) => pool.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The variables Lambda sets for a Node.js 22 function, then the function's own. */
export function lambdaEnvironment(definition: FunctionDefinition, region: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: definition.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${definition.name}`,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: 'gatehouse-local-session',
    LAMBDA_TASK_ROOT: path.dirname(definition.bundlePath),
    ...definition.environment,
  };
}
