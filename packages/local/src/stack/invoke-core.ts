/**
 * One core run once, as the local Lambda service runs it inside `gatehouse dev` — its bundle or
 * folder, its requirements, its AWS credentials from the credentials endpoint — with nothing else
 * started: no gateway, no identity, no edge. `gatehouse invoke` prints what this returns.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { buildAll, type LoadedProjectConfig, loadProjectConfig, nodeCoreBundle } from '@gatehouse/bundler';
import { startCredentialsEndpoint } from '../credentials';
import { loadLocalCredential } from '../iam';
import { functionArn, isRemote } from '../lambda/function-definition';
import { FunctionPool } from '../lambda/function-pool';
import { lambdaEnvironment } from '../lambda/lambda-service';
import { prepareCoreDependencies } from './core-dependencies';
import { coreFunction } from './core-function';

export interface InvokeCoreOptions {
  /** The project's `gatehouse.config.ts` (or an already loaded one). */
  config: string | LoadedProjectConfig;
  /** The core's name in the config. */
  core: string;
  /** The event, as JSON text. */
  event: string;
  /** Where the Node bundle and the Python environments are kept (`gatehouse dev`'s too). */
  stateDir: string;
  /** @default us-east-1 */
  region?: string;
  /** Another STS endpoint for `assumeRole` credentials (tests). */
  stsEndpoint?: string;
  /** Build and install progress, credential problems, and the core's own output, line by line. */
  onLog?: (line: string) => void;
}

export interface CoreInvocation {
  /** The core's answer, or Lambda's error payload when `functionError` is set. */
  payload: string;
  /** `Unhandled` when the core failed (thrown error, timeout, crash), as Lambda's header says. */
  functionError: 'Unhandled' | undefined;
  /** From handing over the event to the answer, cold start included. */
  durationMs: number;
}

export class CoreNotRunnableError extends Error {
  override name = 'CoreNotRunnableError';
}

export async function invokeCore(options: InvokeCoreOptions): Promise<CoreInvocation> {
  const log = options.onLog ?? (() => {});
  const project = typeof options.config === 'string' ? await loadProjectConfig(options.config) : options.config;
  const core = project.resolved.cores.find((c) => c.name === options.core);
  if (!core) {
    const known = project.resolved.cores.map((c) => c.name).join(', ');
    throw new CoreNotRunnableError(`"${options.core}" is not a core of ${project.file} (cores: ${known})`);
  }
  if (core.remote) {
    throw new CoreNotRunnableError(
      `core "${core.name}" runs on AWS (remote: ${core.remote.function}); invoke it there with --remote`,
    );
  }
  const name = `${project.resolved.name}-${core.name}`;
  const region = options.region ?? 'us-east-1';
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    let nodeBundle: { bundlePath: string; handler: string } | undefined;
    if (core.runtime.startsWith('nodejs')) {
      const outfile = path.join(options.stateDir, 'build', 'invoke', core.name, 'index.mjs');
      const bundle = nodeCoreBundle(path.resolve(project.dir, core.code), core.handler, outfile, core.architecture);
      const built = await buildAll([{ name: `core ${core.name}`, options: bundle.options }], false, log);
      cleanups.push(() => built.dispose());
      nodeBundle = { bundlePath: outfile, handler: bundle.handler };
    }
    const dependencies = await prepareCoreDependencies([core], project.dir, options.stateDir, (_core, line) =>
      log(line),
    );
    const credentials = await startCredentialsEndpoint({ onProblem: (_core, line) => log(line) });
    cleanups.push(() => credentials.close());
    const definition = coreFunction(core, project, {
      name,
      nodeBundle,
      timeoutSeconds: undefined,
      maxWorkers: 1,
      dependencies: dependencies.get(core.name),
      credentials,
      stsEndpoint: options.stsEndpoint,
    });
    if (isRemote(definition)) throw new CoreNotRunnableError(`core "${core.name}" runs on AWS`);
    const environment = lambdaEnvironment(definition, region, loadLocalCredential(options.stateDir));
    const pool = new FunctionPool(definition, environment, (_fn, _stream, line) => log(line));
    cleanups.push(() => pool.close());
    const started = performance.now();
    const outcome = await pool.invoke({
      requestId: randomUUID(),
      event: options.event,
      invokedFunctionArn: functionArn(region, name),
    });
    const durationMs = Math.round(performance.now() - started);
    return outcome.kind === 'success'
      ? { payload: outcome.payload, functionError: undefined, durationMs }
      : { payload: JSON.stringify(outcome.payload), functionError: 'Unhandled', durationMs };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

export interface RemoteInvokeOptions {
  /** The deployed function's name or ARN. */
  functionName: string;
  event: string;
  /** @default the ARN's region, else the SDK's (AWS_REGION, the profile's) */
  region?: string;
  /** A profile of your AWS config. @default the SDK's standard chain */
  profile?: string;
  /** Another Lambda endpoint (tests, VPC endpoints). */
  endpoint?: string;
}

export interface RemoteCoreInvocation extends CoreInvocation {
  /** The end of the invocation's log, as Lambda returns it (`LogType: Tail`, 4 KB). */
  logTail: string[];
}

/** Invokes the deployed core once, with the developer's credentials, and returns its log tail too. */
export async function invokeRemoteCore(options: RemoteInvokeOptions): Promise<RemoteCoreInvocation> {
  const region = options.region ?? /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):/.exec(options.functionName)?.[1];
  const client = new LambdaClient({
    maxAttempts: 1,
    credentials: fromNodeProviderChain(options.profile ? { profile: options.profile } : {}),
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  try {
    const started = performance.now();
    const answer = await client.send(
      new InvokeCommand({
        FunctionName: options.functionName,
        InvocationType: 'RequestResponse',
        LogType: 'Tail',
        Payload: Buffer.from(options.event),
      }),
    );
    const durationMs = Math.round(performance.now() - started);
    return {
      payload: Buffer.from(answer.Payload ?? new Uint8Array()).toString('utf8'),
      functionError: answer.FunctionError ? 'Unhandled' : undefined,
      durationMs,
      logTail: answer.LogResult
        ? Buffer.from(answer.LogResult, 'base64').toString('utf8').split('\n').filter(Boolean)
        : [],
    };
  } catch (error) {
    const e = error as { name?: string; message?: string };
    throw new CoreNotRunnableError(`invoking ${options.functionName} failed: ${e.name ?? 'Error'}: ${e.message}`, {
      cause: error,
    });
  } finally {
    client.destroy();
  }
}
