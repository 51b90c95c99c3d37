/**
 * A core as the Lambda service runs it: its bundle (Node), its folder (Python, provided), or remote;
 * a local one calls AWS with the credentials its config names, from the credentials endpoint, and
 * a Python one runs with its requirements' interpreter. `gatehouse dev` and `gatehouse invoke`
 * both run cores this way.
 */
import path from 'node:path';
import type { LoadedProjectConfig } from '@gatehouse/bundler';
import type { ResolvedCore } from '@gatehouse/contract';
import { CoreCredentialSource, type CredentialsEndpoint } from '../credentials';
import { type FunctionDefinition, nodeBundle as nodeBundleCode } from '../lambda';
import type { CoreDependencies } from './core-dependencies';

export interface CoreFunctionOptions {
  /** The Lambda function name: `<project>-<core>`, as the construct deploys it. */
  name: string;
  /** A Node core's esbuild bundle and the handler inside it. */
  nodeBundle: { bundlePath: string; handler: string } | undefined;
  /** Overrides the core's `timeoutSeconds` (tests shorten it). */
  timeoutSeconds: number | undefined;
  maxWorkers: number;
  dependencies: CoreDependencies | undefined;
  credentials: CredentialsEndpoint;
  /** Another STS endpoint for `assumeRole` (tests). */
  stsEndpoint: string | undefined;
}

export function coreFunction(
  core: ResolvedCore,
  project: LoadedProjectConfig,
  options: CoreFunctionOptions,
): FunctionDefinition {
  const { name } = options;
  if (core.remote) {
    const { function: functionName, region, profile } = core.remote;
    return { name, remote: { functionName, ...(region ? { region } : {}), ...(profile ? { profile } : {}) } };
  }
  const bundle = options.nodeBundle;
  const code = bundle
    ? { ...nodeBundleCode(bundle.bundlePath), handler: bundle.handler }
    : { codeDir: path.resolve(project.dir, core.code), handler: core.handler };
  return {
    name,
    ...code,
    runtime: core.runtime,
    timeoutSeconds: options.timeoutSeconds ?? core.timeoutSeconds,
    memoryMb: core.memoryMb,
    maxWorkers: options.maxWorkers,
    environment: { ...core.environment },
    ...options.dependencies,
    awsCredentials: options.credentials.issuerFor(
      core.name,
      new CoreCredentialSource({
        project: project.resolved.name,
        core: core.name,
        credentials: core.credentials,
        ...(options.stsEndpoint ? { stsEndpoint: options.stsEndpoint } : {}),
      }),
    ),
  };
}
