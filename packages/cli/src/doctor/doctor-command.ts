/**
 * `gatehouse doctor --url <route-url> [--origin O] [--token JWT | --api-key KEY] [--body JSON]`:
 * probes a deployed or local API for the mistakes users meet, in the API's auth mode (read from
 * the local stack's services.json, or `--auth` for a deployed API), prints each check as
 * PASS/FAIL/WARN/SKIP with the fix, and exits 0 when nothing failed, 1 when something did, 2 on a
 * usage error.
 */

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigFileError, DEFAULT_CONFIG_FILE, loadProjectConfig } from '@gatehouse/bundler';
import { type ApiDescription, describeApi, parseAuthMode, type ResolvedProjectConfig } from '@gatehouse/contract';
import { asUsageError, type CliIo, processIo, UsageError } from '../cli/cli-io';
import { resolveStateDir, stateDirUsage } from '../cli/state-dir';
import { anyFailed, type CheckResult } from './check-result';
import { type DoctorAuth, type DoctorTarget, describeAuth, resolveTarget } from './doctor-target';
import { ExpectationsError, loadExpectations } from './expectations';
import { bodyFromArgument } from './request-body';
import type { IamCredential } from './route-request';
import { parseRouteUrl, RouteUrlError } from './route-url';
import { type DoctorOptions, runDoctor } from './run-doctor';

export const DOCTOR_USAGE = `Usage: gatehouse doctor --url <route-url> [--origin <origin>] [--token <jwt> | --api-key <key>] [options]

Probes a deployed or local gatehouse API and explains what is wrong, with the fix.

  --url <url>          the route URL with its stage, e.g.
                       https://abc123.execute-api.eu-west-1.amazonaws.com/prod/inference
                       (locally: the apiUrl in local.json + /inference)
  --origin <origin>    your web app's origin, to check CORS (locally http://127.0.0.1:5173)
  --auth <mode>        cognito (default), lambda, iam or none: how the deployed API admits callers
                       (for the local stack it is read from services.json)
  --authorizer <kind>  with --auth lambda: email-allowlist or api-key
  --token <jwt>        an ID token, to check it and make a real call (locally: "$(npx gatehouse token)")
  --api-key <key>      with the API-key authorizer: the key to call with
  --region <region>    with --auth iam: the region to sign for (default the URL's, else $AWS_REGION);
                       credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
  --body <json|@file>  the request body of the real call (default: the route's example)
  --project <file>     the project's gatehouse.config.ts: its stage, routes and each route's example body
                       (default ./gatehouse.config.ts when there is one, else the sample's API)
  --config <file>      gatehouse-config.json or local.json: the pool and client the API expects
  --issuer <url>       the issuer the API trusts (instead of --config)
  --client-id <id>     an app client id the API accepts (repeatable; instead of --config)
  --token-use <kind>   id (default) or access: the token the edge expects
  --timeout <ms>       per request (default 10000)
${stateDirUsage(23)}

Exit status: 0 all checks passed, 1 some failed, 2 usage error.`;

const MARK: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

/** The command; `exampleBody` is the route's example from the project config, when there is one. */
export async function doctorCommand(argv: string[], io: CliIo = processIo, exampleBody?: unknown): Promise<number> {
  const parsed = await parseDoctorArgs(argv, io.env);
  if (parsed === 'help') {
    io.out(DOCTOR_USAGE);
    return 0;
  }
  const example = exampleBody ?? parsed.exampleBody;
  const options: DoctorOptions = { ...parsed, ...(example === undefined ? {} : { exampleBody: example }) };
  io.out(`gatehouse doctor  ${parsed.route.url.href}`);
  io.out(`  auth: ${describeAuth(parsed.target.auth)} — from ${parsed.target.authSource}\n`);
  const results = await runDoctor(options);
  for (const result of results) io.out(formatResult(result));
  const counts = (['pass', 'fail', 'warn', 'skip'] as const).map(
    (s) =>
      `${results.filter((r) => r.status === s).length} ${s === 'pass' ? 'passed' : s === 'fail' ? 'failed' : s === 'warn' ? 'warnings' : 'skipped'}`,
  );
  io.out(counts.join(', '));
  return anyFailed(results) ? 1 : 0;
}

export function formatResult(result: CheckResult): string {
  const lines = [`${MARK[result.status]}  ${result.title}: ${result.summary}`];
  for (const detail of result.details ?? []) lines.push(`        ${detail}`);
  if (result.fix && result.status !== 'pass') lines.push(`      → ${result.fix}`);
  return `${lines.join('\n')}\n`;
}

type ParsedDoctorArgs = DoctorOptions & { target: DoctorTarget };

async function parseDoctorArgs(argv: string[], env: CliIo['env']): Promise<ParsedDoctorArgs | 'help'> {
  try {
    return await parseOrThrow(argv, env);
  } catch (error) {
    if (error instanceof RouteUrlError || error instanceof ExpectationsError || error instanceof ConfigFileError) {
      throw new UsageError(error.message, { cause: error });
    }
    throw asUsageError(error);
  }
}

async function parseOrThrow(argv: string[], env: CliIo['env']): Promise<ParsedDoctorArgs | 'help'> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      origin: { type: 'string' },
      auth: { type: 'string' },
      authorizer: { type: 'string' },
      token: { type: 'string' },
      'api-key': { type: 'string' },
      region: { type: 'string' },
      body: { type: 'string' },
      project: { type: 'string' },
      config: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string', multiple: true },
      'token-use': { type: 'string' },
      timeout: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (!values.url) throw new UsageError('--url is required');
  const project = await projectApi(values.project);
  const route = parseRouteUrl(values.url, project?.api);
  const tokenUse = values['token-use'] ?? 'id';
  if (tokenUse !== 'id' && tokenUse !== 'access') throw new UsageError('--token-use must be id or access');
  const timeoutMs = Number(values.timeout ?? 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
    throw new UsageError('--timeout must be a whole number of milliseconds from 100 to 60000');
  }
  if (values.origin !== undefined) checkOrigin(values.origin);
  const stateDir = resolveStateDir(values['state-dir'], env);
  const auth = authFromFlags(values.auth, values.authorizer);
  const target = resolveTarget({ url: route.url, ...(auth ? { auth } : {}), stateDir, env });
  const expectations = loadExpectations({
    url: route.url,
    issuer: values.issuer,
    clientIds: values['client-id'] ?? [],
    tokenUse,
    configFile: values.config,
    stateDir,
  });
  const iam =
    target.auth.mode === 'iam' && !target.local ? iamFromEnvironment(route.url, values.region, env) : undefined;
  return {
    route,
    target,
    expectations,
    timeoutMs,
    ...(values.origin === undefined ? {} : { origin: values.origin }),
    ...(values.token === undefined ? {} : { token: values.token }),
    ...(values['api-key'] === undefined ? {} : { apiKey: values['api-key'] }),
    ...(values.body === undefined ? {} : { body: bodyFromArgument(values.body) }),
    ...(iam ? { iam } : {}),
    ...(project ? { exampleBody: exampleOf(project, route.routePath) } : {}),
  };
}

type ProjectApi = { api: ApiDescription; routes: ResolvedProjectConfig['routes'] };

/** The project's API and routes, from --project or ./gatehouse.config.ts; none for a URL-only check. */
async function projectApi(file: string | undefined): Promise<ProjectApi | undefined> {
  if (file === undefined && !existsSync(DEFAULT_CONFIG_FILE)) return undefined;
  const { resolved } = await loadProjectConfig(file ?? DEFAULT_CONFIG_FILE);
  return { api: describeApi(resolved), routes: resolved.routes };
}

function exampleOf(project: ProjectApi, routePath: string): unknown {
  return project.routes.find((route) => route.path === routePath && route.hasBody)?.example;
}

function authFromFlags(mode: string | undefined, authorizer: string | undefined): DoctorAuth | undefined {
  if (mode === undefined) {
    if (authorizer !== undefined) throw new UsageError('--authorizer applies with --auth lambda');
    return undefined;
  }
  let parsed: ReturnType<typeof parseAuthMode>;
  try {
    parsed = parseAuthMode(mode);
  } catch (error) {
    throw new UsageError(`--${(error as Error).message}`, { cause: error });
  }
  if (parsed !== 'lambda') {
    if (authorizer !== undefined) throw new UsageError('--authorizer applies with --auth lambda');
    return { mode: parsed };
  }
  if (authorizer === undefined) return { mode: parsed };
  if (authorizer !== 'email-allowlist' && authorizer !== 'api-key') {
    throw new UsageError(`--authorizer must be email-allowlist or api-key (got ${JSON.stringify(authorizer)})`);
  }
  return { mode: parsed, authorizer };
}

const EXECUTE_API_REGION = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;

/** The caller's own credentials, as the AWS CLI and SDKs read them from the environment. */
function iamFromEnvironment(url: URL, region: string | undefined, env: CliIo['env']): IamCredential | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) return undefined;
  const signingRegion =
    region ?? EXECUTE_API_REGION.exec(url.hostname)?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!signingRegion) throw new UsageError('--auth iam needs a region to sign for: --region, or AWS_REGION');
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    region: signingRegion,
    source: 'the environment',
  };
}

function checkOrigin(origin: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.origin !== origin) {
    throw new UsageError(
      `--origin "${origin}" is not an origin: write scheme://host[:port], no path or trailing slash`,
    );
  }
}
