/**
 * The edge bundle of one project: gatehouse's generic edge with the project's route table and
 * schemas inside. The entry is generated: it holds the route table the build resolved from the
 * checked config (`edgeRouteTable`) as data, and imports the project's config for its schemas, so
 * validation runs in the edge with the project's own validator, the config is checked once at build
 * time rather than at every cold start, and nothing of the project is read at run time but what was
 * bundled.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { edgeRouteTable, hasJobRoutes, hasPathTemplates, type ResolvedProjectConfig } from '@gatehouse/contract';
import type * as esbuild from 'esbuild';
import { lambdaBuildOptions } from './lambda-build-options';

const require = createRequire(import.meta.url);

/**
 * `project` is `configFile` resolved (`loadProjectConfig(configFile).resolved`). The entry imports
 * only what the project's routes need, so other projects' edges carry none of it: the job code
 * (`@gatehouse/edge/jobs`) for job routes, the contract's path-template matcher for paths with
 * `{parameters}`.
 */
export function edgeBundleOptions(
  configFile: string,
  outfile: string,
  project: ResolvedProjectConfig,
): esbuild.BuildOptions & { outfile: string } {
  const build = lambdaBuildOptions('<generated edge entry>', outfile);
  delete build.entryPoints;
  const table = JSON.stringify(edgeRouteTable(project));
  const jobs = hasJobRoutes(project.routes);
  const templates = hasPathTemplates(project.routes);
  const extensions = [jobs ? 'jobs: jobRoutesFromEnvironment' : '', templates ? 'matchPath: matchRoutePath' : ''];
  const contents = [
    `import config from ${JSON.stringify(path.resolve(configFile))};`,
    `import { createLambdaHandler } from ${JSON.stringify(sourceEntry('@gatehouse/edge', '.'))};`,
    jobs ? `import { jobRoutesFromEnvironment } from ${JSON.stringify(sourceEntry('@gatehouse/edge', './jobs'))};` : '',
    templates ? `import { matchRoutePath } from ${JSON.stringify(sourceEntry('@gatehouse/contract', '.'))};` : '',
    `export const handler = createLambdaHandler(${table}, config, process.env, { ${extensions.filter(Boolean).join(', ')} });`,
  ].filter(Boolean);
  return {
    ...build,
    stdin: {
      contents: contents.join('\n'),
      resolveDir: path.dirname(path.resolve(configFile)),
      sourcefile: 'gatehouse-edge-entry.mjs',
      loader: 'js',
    },
  };
}

/** The job runner's bundle: the same for every project (a job's item names its core and timeout). */
export function jobRunnerBundleOptions(outfile: string): esbuild.BuildOptions & { outfile: string } {
  const build = lambdaBuildOptions('<generated job runner entry>', outfile);
  delete build.entryPoints;
  const entry = sourceEntry('@gatehouse/edge', './jobs');
  return {
    ...build,
    stdin: {
      contents: [
        `import { createJobRunner } from ${JSON.stringify(entry)};`,
        'export const handler = createJobRunner();',
      ].join('\n'),
      resolveDir: path.dirname(entry),
      sourcefile: 'gatehouse-job-runner-entry.mjs',
      loader: 'js',
    },
  };
}

/**
 * An entry file of gatehouse's edge or contract, resolved from this package rather than the project
 * (the project need not depend on them), through the `exports` of its package.json: its TypeScript
 * source, which esbuild compiles with the project's config in one pass, else the built file.
 */
function sourceEntry(name: '@gatehouse/edge' | '@gatehouse/contract', subpath: '.' | './jobs'): string {
  const manifest = require.resolve(`${name}/package.json`);
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, unknown> };
  const root = exports[subpath];
  const conditions = typeof root === 'string' ? { default: root } : (root as Record<string, string>);
  const dir = path.dirname(manifest);
  const target = [conditions['@gatehouse/source'], conditions.import, conditions.default].find(
    (file) => typeof file === 'string' && existsSync(path.join(dir, file)),
  );
  if (target === undefined) throw new Error(`${name} at ${manifest} exports no entry ${subpath}`);
  return path.join(dir, target);
}
