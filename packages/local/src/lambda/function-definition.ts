/**
 * What the local Lambda service knows about a function — the subset of a Lambda function's
 * configuration that changes how it runs — and the ARN it answers to. A function either runs here
 * (a runtime, a code folder and a handler, as on AWS) or is remote: its invocations are forwarded
 * to the function deployed on AWS.
 */
import path from 'node:path';
import { CORE_RUNTIMES, type CoreRuntime } from '@gatehouse/contract';

/** The Lambda runtimes the local service can run (the names AWS uses). */
/** The Lambda runtimes the local service can run: exactly those a project config may name. */
export const LAMBDA_RUNTIMES = CORE_RUNTIMES;
export type LambdaRuntime = CoreRuntime;

/** One execution environment per process, or (Node.js only) per worker thread. */
export type FunctionIsolation = 'process' | 'thread';

export interface LocalFunctionDefinition {
  name: string;
  runtime: LambdaRuntime;
  /** The function's code folder: `LAMBDA_TASK_ROOT`, the working directory and the module root. */
  codeDir: string;
  /**
   * AWS's handler string: `index.handler`, `handler.handler`, `pkg/mod.fn`. For `provided.al2023`
   * it is passed to the `bootstrap` as `_HANDLER` and means what the bootstrap makes of it.
   */
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** The function's own environment variables, on top of what Lambda sets. */
  environment?: Record<string, string>;
  /**
   * The function's concurrency (its reserved concurrency on AWS): synchronous invocations in
   * progress, running or waiting for an environment. Past it an invoke is refused with 429
   * `TooManyRequestsException`, as Lambda does; 4 by default.
   */
  maxWorkers?: number;
  /**
   * What one execution environment is: its own process (the default, as close to Lambda's microVM
   * as a laptop gets), or — Node.js runtimes only — a worker thread of the service's process, with
   * its own variables, module registry and heap limit but the stack's working directory, time zone
   * and resident memory (docs/LOCAL.md, "Node environments as threads"). Cheaper to start and to
   * reach; for fast local load tests, not for checking how a function behaves on AWS.
   * @default the service's `nodeIsolation`, else 'process'
   */
  isolation?: FunctionIsolation;
  /**
   * Live execution environments (processes or threads) at most; invocations under the concurrency
   * but over this wait for a free one, and are dropped unrun if their caller goes away first.
   * Default: one per CPU core, at least two — more than cores only add switching between them.
   */
  maxProcesses?: number;
  /** Python: the interpreter it runs with (its dependencies' environment). @default GATEHOUSE_PYTHON, else python3 */
  interpreter?: string;
  /** Why it cannot run (its dependencies failed to install): every invocation fails with this. */
  unavailable?: string;
  /**
   * Where its AWS calls get credentials: each execution environment is issued its own. Without it
   * the function signs with the stack's local credential, which only the local services accept.
   */
  awsCredentials?: CredentialIssuer;
}

/** Hands each execution environment its own way to AWS credentials (the credentials endpoint). */
export interface CredentialIssuer {
  /** The variables one environment gets, and the call that ends them when the environment ends. */
  issue(): { environment: Record<string, string>; revoke(): void };
}

/** A definition the service cannot run as given: refused when it is registered. */
export class FunctionDefinitionError extends Error {
  override name = 'FunctionDefinitionError';
}

export function isNodeRuntime(runtime: LambdaRuntime): boolean {
  return runtime === 'nodejs20.x' || runtime === 'nodejs22.x';
}

/**
 * The definition as the service runs it: a Node.js function that does not name its isolation gets
 * the service's. Throws `FunctionDefinitionError` for a thread asked of another runtime: only a
 * Node.js runtime can run inside the service's own Node.js process.
 */
export function withIsolation(
  definition: LocalFunctionDefinition,
  nodeIsolation: FunctionIsolation,
): LocalFunctionDefinition {
  const node = isNodeRuntime(definition.runtime);
  if (definition.isolation === 'thread' && !node) {
    throw new FunctionDefinitionError(
      `function ${definition.name}: isolation 'thread' is for Node.js runtimes only (nodejs20.x, nodejs22.x); a ${definition.runtime} function runs as its own process — remove isolation or set it to 'process'`,
    );
  }
  if (definition.isolation !== undefined && definition.isolation !== 'process' && definition.isolation !== 'thread') {
    throw new FunctionDefinitionError(
      `function ${definition.name}: isolation must be 'process' or 'thread', not ${JSON.stringify(definition.isolation)}`,
    );
  }
  return { ...definition, isolation: definition.isolation ?? (node ? nodeIsolation : 'process') };
}

export interface RemoteTarget {
  /** The deployed function's name or ARN. */
  functionName: string;
  /** Default: the ARN's region, else the SDK's (profile, `AWS_REGION`). */
  region?: string;
  /** A profile of `~/.aws/config` (SSO profiles included); default: the SDK's provider chain. */
  profile?: string;
  /** Another Lambda endpoint (tests, VPC endpoints). */
  endpoint?: string;
}

export interface RemoteFunctionDefinition {
  name: string;
  remote: RemoteTarget;
}

export type FunctionDefinition = LocalFunctionDefinition | RemoteFunctionDefinition;

export function isRemote(definition: FunctionDefinition): definition is RemoteFunctionDefinition {
  return 'remote' in definition;
}

/**
 * How an esbuild bundle (`dist/index.mjs`) runs: its folder is the code folder and its file name the
 * handler's module, so `index.mjs` exporting `handler` is `index.handler`, as uploaded to AWS.
 */
export function nodeBundle(bundlePath: string): Pick<LocalFunctionDefinition, 'runtime' | 'codeDir' | 'handler'> {
  const module = path.basename(bundlePath).replace(/\.(mjs|cjs|js)$/, '');
  return { runtime: 'nodejs22.x', codeDir: path.dirname(bundlePath), handler: `${module}.handler` };
}

export const LOCAL_ACCOUNT_ID = '000000000000';

export function functionArn(region: string, name: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}
