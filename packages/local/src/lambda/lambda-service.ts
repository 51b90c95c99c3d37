/**
 * The local Lambda service: a registry of functions, each run in its own pool of execution
 * environments (or forwarded to AWS when remote), served through the Invoke API. Functions get the
 * environment Lambda gives them (region, name, memory, dummy credentials for their own AWS calls,
 * log group) plus their own variables, and are reloaded when a file in their code folder changes.
 */
import { type FSWatcher, watch } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalKeys } from '../iam';
import { listen } from '../net/listen';
import type { LogSink } from './execution-environment';
import {
  type FunctionDefinition,
  type FunctionIsolation,
  isRemote,
  type LocalFunctionDefinition,
  withIsolation,
} from './function-definition';
import { FunctionPool } from './function-pool';
import { type DirectInvokeOutcome, handleInvoke, type Invocable, type InvokeTarget, invokeDirect } from './invoke-api';
import { RemoteFunction } from './remote-function';

export interface LambdaServiceOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  region?: string;
  /**
   * The local credential (`loadLocalCredential`): the only key the Invoke API admits, signed for
   * `region` only, and the one the local functions find in their environment.
   */
  credential: LocalKeys;
  functions: FunctionDefinition[];
  /** Worker output, one line at a time; default: dropped. */
  onLog?: LogSink;
  /** Recycle a function's environments when a file in its code folder changes (default true). */
  reloadOnChange?: boolean;
  /**
   * The isolation of every Node.js function whose definition does not name its own: one process
   * per environment (default) or one worker thread (`LocalFunctionDefinition.isolation`).
   */
  nodeIsolation?: FunctionIsolation;
}

export interface LambdaService {
  url: string;
  port: number;
  region: string;
  /** Adds or replaces a function; throws `FunctionDefinitionError` for one it cannot run. */
  register(definition: FunctionDefinition): void;
  /**
   * A synchronous invocation for a caller in this process (the stack's gateway), without the Invoke
   * API's HTTP exchange and signature: see `invokeDirect`.
   */
  invokeDirect(functionName: string, event: string, signal: AbortSignal): Promise<DirectInvokeOutcome>;
  /** Retires the function's environments; its next invocation cold-starts the code again. */
  reload(name: string): void;
  /** A local function's pool (`undefined` for a remote one). */
  pool(name: string): FunctionPool | undefined;
  pools(): FunctionPool[];
  close(): Promise<void>;
}

const RELOAD_DEBOUNCE_MS = 50;
/** Files a running function writes itself or editors leave behind: never a reason to reload. */
const IGNORED_CHANGES = /(^|\/)(__pycache__|\.git)(\/|$)|\.(pyc|swp|swx)$|~$/;

export async function startLambdaService(options: LambdaServiceOptions): Promise<LambdaService> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const nodeIsolation = options.nodeIsolation ?? 'process';
  const log: LogSink = options.onLog ?? (() => {});
  const pools = new Map<string, FunctionPool>();
  const remotes = new Map<string, RemoteFunction>();
  const watchers = new Map<string, FSWatcher>();
  /** Pools replaced by `register` that may still be finishing invocations. */
  const retired = new Set<FunctionPool>();

  const reload = (name: string) => pools.get(name)?.recycle();

  const watchCode = (definition: LocalFunctionDefinition) => {
    if (options.reloadOnChange === false) return;
    let timer: NodeJS.Timeout | undefined;
    const watcher = watch(definition.codeDir, (_event, changed) => {
      if (!changed || IGNORED_CHANGES.test(changed)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        reload(definition.name);
        log(definition.name, 'stderr', `${changed} changed; next invocation cold-starts the new code`);
      }, RELOAD_DEBOUNCE_MS);
    });
    watcher.on('error', () => watcher.close());
    watchers.set(definition.name, watcher);
  };

  /** Throws `FunctionDefinitionError` for a definition it cannot run, before replacing anything. */
  const register = (given: FunctionDefinition) => {
    const definition = isRemote(given) ? given : withIsolation(given, nodeIsolation);
    const previous = pools.get(definition.name);
    if (previous) {
      previous.retire();
      retired.add(previous);
    }
    pools.delete(definition.name);
    remotes.delete(definition.name);
    watchers.get(definition.name)?.close();
    watchers.delete(definition.name);
    if (isRemote(definition)) {
      remotes.set(definition.name, new RemoteFunction(definition, (line) => log(definition.name, 'stderr', line)));
      return;
    }
    pools.set(
      definition.name,
      new FunctionPool(definition, lambdaEnvironment(definition, region, options.credential), log, host),
    );
    watchCode(definition);
  };
  const invocable = (name: string): Invocable | undefined => pools.get(name) ?? remotes.get(name);

  // Every definition checked before any is registered: a refused one leaves no watcher behind.
  for (const definition of options.functions) if (!isRemote(definition)) withIsolation(definition, nodeIsolation);
  for (const definition of options.functions) register(definition);

  const target: InvokeTarget = {
    region,
    credential: options.credential,
    function: invocable,
    onEventError: (name, error) => log(name, 'stderr', `async invocation failed: ${error}`),
  };
  const server: Server = createServer((req, res) => {
    void handleInvoke(target, req, res);
  });
  server.keepAliveTimeout = 65_000;
  await listen(server, options.port, host, 'Lambda service', '--lambda-port');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    port,
    region,
    register,
    invokeDirect: (functionName, event, signal) => invokeDirect(target, functionName, event, signal),
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

/** The variables Lambda sets for every runtime, then the function's own (runtime-specific ones: runtime-launch.ts). */
export function lambdaEnvironment(
  definition: LocalFunctionDefinition,
  region: string,
  credential: LocalKeys,
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: definition.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${definition.name}`,
    ...(definition.awsCredentials ? {} : localCredentialEnvironment(credential)),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: definition.codeDir,
    ...definition.environment,
  };
}

/** A function without its own AWS credentials signs with the stack's, for the local services. */
function localCredentialEnvironment(credential: LocalKeys): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
    AWS_SESSION_TOKEN: 'gatehouse-local-session',
  };
}
