/**
 * The Lambda bundles the stack runs, built with the options every gatehouse bundle uses — so what
 * runs locally is what would be uploaded: the project's edge (its routes and schemas inside), each
 * Node.js core of the project, and the Lambda authorizer when the mode needs it. Python and
 * `provided` cores run from their folders as they are. In watch mode esbuild rebuilds on change
 * and the Lambda service's file watcher recycles the function's environments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  authorizerBundleOptions,
  type BuiltBundles,
  buildAll,
  edgeBundleOptions,
  jobRunnerBundleOptions,
  type LoadedProjectConfig,
  loadProjectConfig,
  nodeCoreBundle,
} from '@gatehouse/bundler';
import { edgeRouteTable, hasJobRoutes, type ResolvedCore } from '@gatehouse/contract';
import type * as esbuild from 'esbuild';

export interface ProjectBundles extends BuiltBundles {
  edge: string;
  authorizer: string | undefined;
  /** The job runner, for a project with job routes. */
  jobRunner: string | undefined;
  /** Node.js cores by name: their bundle and handler string. */
  nodeCores: ReadonlyMap<string, { bundlePath: string; handler: string }>;
}

export function isNodeCore(core: ResolvedCore): boolean {
  return core.runtime.startsWith('nodejs') && core.remote === undefined;
}

export async function buildProjectBundles(
  project: LoadedProjectConfig,
  buildDir: string,
  options: {
    authorizer: boolean;
    watch: boolean;
    onLog: (line: string) => void;
    /** In watch mode: a rebuilt edge whose config checks out (it is then what the edge runs). */
    onProject?: (project: LoadedProjectConfig) => void;
    /** In watch mode: a rebuilt edge whose config does not (the last good edge keeps serving). */
    onProjectProblem?: (error: unknown) => void;
  },
): Promise<ProjectBundles> {
  const edge = path.join(buildDir, 'edge', 'index.mjs');
  const authorizer = options.authorizer ? path.join(buildDir, 'authorizer', 'index.mjs') : undefined;
  const nodeCores = new Map<string, { bundlePath: string; handler: string }>();
  const jobRoutes = hasJobRoutes(project.resolved.routes);
  const jobRunner = jobRoutes ? path.join(buildDir, 'job-runner', 'index.mjs') : undefined;
  const edgeOptions = edgeBundleOptions(project.file, edge, project.resolved);
  const builds = [
    { name: 'edge', options: options.watch ? gatedOnConfig(edgeOptions, project, options) : edgeOptions },
  ];
  if (authorizer) builds.push({ name: 'authorizer', options: authorizerBundleOptions(authorizer) });
  if (jobRunner) builds.push({ name: 'job runner', options: jobRunnerBundleOptions(jobRunner) });
  for (const core of project.resolved.cores.filter(isNodeCore)) {
    const outfile = path.join(buildDir, 'cores', core.name, 'index.mjs');
    const bundle = nodeCoreBundle(path.resolve(project.dir, core.code), core.handler, outfile, core.architecture);
    nodeCores.set(core.name, { bundlePath: outfile, handler: bundle.handler });
    builds.push({ name: `core ${core.name}`, options: bundle.options });
  }
  const built = await buildAll(builds, options.watch, options.onLog);
  return { ...built, edge, authorizer, jobRunner, nodeCores };
}

/**
 * The edge bundle carries the config; a config that compiles but does not check out (a runtime
 * that does not exist, a route key API Gateway refuses) would make every request a bare 500. So in
 * watch mode the rebuilt edge is written only once the config loads and resolves: until then the
 * last good edge keeps serving, and the problems are reported as at start. The bundle's route table
 * is the one resolved at start; an edit that changes it (a route added, renamed, moved to another
 * core) is not written either: the stack restarts with the new config (`onProject`), rebuilding it.
 */
function gatedOnConfig(
  buildOptions: esbuild.BuildOptions,
  built: LoadedProjectConfig,
  hooks: { onProject?: (project: LoadedProjectConfig) => void; onProjectProblem?: (error: unknown) => void },
): esbuild.BuildOptions {
  let first = true;
  const builtTable = JSON.stringify(edgeRouteTable(built.resolved));
  const gate: esbuild.Plugin = {
    name: 'gatehouse-config-gate',
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0 || !result.outputFiles) return;
        let loaded: LoadedProjectConfig | undefined;
        if (!first) {
          try {
            loaded = await loadProjectConfig(built.file);
          } catch (error) {
            hooks.onProjectProblem?.(error);
            return;
          }
          if (JSON.stringify(edgeRouteTable(loaded.resolved)) !== builtTable) {
            hooks.onProject?.(loaded);
            return;
          }
        }
        first = false;
        for (const file of result.outputFiles) {
          mkdirSync(path.dirname(file.path), { recursive: true });
          writeFileSync(file.path, file.contents);
        }
        if (loaded) hooks.onProject?.(loaded);
      });
    },
  };
  return { ...buildOptions, write: false, plugins: [gate, ...(buildOptions.plugins ?? [])] };
}
