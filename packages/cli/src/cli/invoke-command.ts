/**
 * `gatehouse invoke <core>`: runs one core once, as `gatehouse dev` runs it (or the deployed one with
 * `--remote`), and prints its answer, its log lines and its duration — `sam local invoke` for a
 * gatehouse core. `--route` builds the event the edge would send for a route: the body validated
 * with the route's schema, then enriched with a local caller (or sent alone, `payload: 'input'`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE, type LoadedProjectConfig, loadProjectConfig } from '@gatehouse/bundler';
import { type CorePayload, type ResolvedRoute, validateInput } from '@gatehouse/contract';
import { type CoreInvocation, CoreNotRunnableError, invokeCore, invokeRemoteCore } from '@gatehouse/local';
import { missingPermission, missingPermissionAdvice } from './access-denied';
import { asUsageError, type CliIo, UsageError } from './cli-io';
import { resolveStateDir, stateDirUsage } from './state-dir';

export const INVOKE_USAGE = `Usage: gatehouse invoke <core> [options]

Runs one core once, as gatehouse dev runs it (bundle or folder, requirements, your AWS
credentials), and prints its answer, its log and its duration. Exit status 1 if the core failed.
  --event JSON|@FILE        the event (default {})
  --route 'KEY'             build the event the edge sends for this route instead (its core must be <core>)
  --body JSON|@FILE         with --route: the body (POST, PUT, PATCH) or query parameters (GET, DELETE)
  --param NAME=VALUE        with --route: a path parameter; repeat for each
  --groups A,B              with --route: the caller's groups in the enriched payload (default none)
  --remote                  invoke the deployed core on AWS with your credentials instead
  --function NAME|ARN       with --remote: the deployed function (default the core's remote or existing)
  --region R, --profile P   with --remote: where, and as whom (default the SDK's chain)
  --endpoint URL            with --remote: another Lambda endpoint (VPC endpoints, tests)
  --config FILE             the project config (default ./${DEFAULT_CONFIG_FILE})
${stateDirUsage(28)}`;

/** The caller an enriched payload names when the core is invoked without the gateway. */
const LOCAL_CALLER = { sub: 'gatehouse-invoke', email: null, username: 'gatehouse-invoke' } as const;

export async function invokeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  const [coreName, ...extra] = positionals;
  if (coreName === undefined || extra.length > 0) throw new UsageError('name exactly one core');
  if (values.event !== undefined && values.route !== undefined)
    throw new UsageError('give --event or --route, not both');
  for (const flag of ['body', 'param', 'groups'] as const) {
    if (values[flag] !== undefined && values.route === undefined) throw new UsageError(`--${flag} needs --route`);
  }
  for (const flag of ['function', 'region', 'profile', 'endpoint'] as const) {
    if (values[flag] !== undefined && !values.remote) throw new UsageError(`--${flag} needs --remote`);
  }
  const project = await loadProjectConfig(values.config ?? DEFAULT_CONFIG_FILE);
  const core = project.resolved.cores.find((c) => c.name === coreName);
  if (!core) {
    throw new UsageError(
      `"${coreName}" is not a core of ${project.file} (cores: ${project.resolved.cores.map((c) => c.name).join(', ')})`,
    );
  }
  const event =
    values.route === undefined
      ? jsonArgument(values.event ?? '{}', '--event')
      : await routeEvent(project, coreName, values, io);
  if (event === undefined) return 1;

  let invocation: CoreInvocation;
  const logs: string[] = [];
  try {
    if (values.remote) {
      const functionName = values.function ?? core.remote?.function ?? core.existing;
      if (!functionName) {
        throw new UsageError(
          `core "${coreName}" has no deployed function in the config (remote or existing): name it with --function`,
        );
      }
      const region = values.region ?? core.remote?.region;
      const profile = values.profile ?? core.remote?.profile;
      const remote = await invokeRemoteCore({
        functionName,
        event,
        ...(region ? { region } : {}),
        ...(profile ? { profile } : {}),
        ...(values.endpoint ? { endpoint: values.endpoint } : {}),
      });
      logs.push(...remote.logTail);
      invocation = remote;
    } else {
      invocation = await invokeCore({
        config: project,
        core: coreName,
        event,
        stateDir: resolveStateDir(values['state-dir'], io.env),
        onLog: (line) => logs.push(line),
      });
    }
  } catch (error) {
    if (!(error instanceof CoreNotRunnableError)) throw error;
    io.err(`gatehouse invoke: ${error.message}`);
    return 1;
  }
  for (const line of logs) io.err(line);
  io.out(pretty(invocation.payload));
  const denied = missingPermission([invocation.payload, ...logs].join('\n'));
  if (denied) io.err(missingPermissionAdvice(coreName, denied));
  io.err(
    `${invocation.functionError ? 'failed' : 'answered'} in ${invocation.durationMs} ms${values.remote ? ' (round trip to AWS)' : ' (cold start included)'}`,
  );
  return invocation.functionError ? 1 : 0;
}

type Values = ReturnType<typeof parse>['values'];

/** What the edge would send the core for this route, or undefined (reported) when the edge would refuse. */
async function routeEvent(
  project: LoadedProjectConfig,
  coreName: string,
  values: Values,
  io: CliIo,
): Promise<string | undefined> {
  const route = project.resolved.routes.find((r) => r.key === values.route);
  if (!route) {
    throw new UsageError(
      `"${values.route}" is not a route of ${project.file} (routes: ${project.resolved.routes.map((r) => r.key).join(', ')})`,
    );
  }
  if (route.core !== coreName)
    throw new UsageError(`route "${route.key}" calls core "${route.core}", not "${coreName}"`);
  const body =
    values.body === undefined ? (route.hasBody ? undefined : {}) : JSON.parse(jsonArgument(values.body, '--body'));
  let input: unknown = body;
  if (route.schema) {
    const checked = await validateInput(route.schema, body);
    if (!checked.ok) {
      io.err(`gatehouse invoke: the edge would answer 422 — the body does not pass ${route.key}'s schema:`);
      for (const error of checked.errors) io.err(`  ${error.path || '(body)'}: ${error.message}`);
      return undefined;
    }
    input = checked.value;
  }
  const pathParameters = parameters(route, values.param ?? []);
  if (route.payload === 'input') return JSON.stringify(input);
  const payload: CorePayload = {
    input,
    pathParameters,
    identity: { ...LOCAL_CALLER, groups: values.groups ? values.groups.split(',').filter(Boolean) : [] },
    requestMeta: {
      requestId: randomUUID(),
      sourceIp: '127.0.0.1',
      userAgent: 'gatehouse-invoke',
      receivedAt: new Date().toISOString(),
      routeKey: route.key,
    },
  };
  return JSON.stringify(payload);
}

function parameters(route: ResolvedRoute, given: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of given) {
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals);
    if (equals < 1 || !route.parameters.includes(name)) {
      throw new UsageError(
        `--param ${pair}: ${route.key} has ${route.parameters.length > 0 ? `path parameters {${route.parameters.join('}, {')}}` : 'no path parameters'}; give NAME=VALUE`,
      );
    }
    values[name] = pair.slice(equals + 1);
  }
  const missing = route.parameters.filter((p) => values[p] === undefined);
  if (missing.length > 0)
    throw new UsageError(`${route.key} needs --param ${missing.map((p) => `${p}=…`).join(' --param ')}`);
  return values;
}

/** A JSON argument, given inline or as `@file`; returned as JSON text. */
function jsonArgument(value: string, flag: string): string {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`${flag} ${value}: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return text;
}

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        event: { type: 'string' },
        route: { type: 'string' },
        body: { type: 'string' },
        param: { type: 'string', multiple: true },
        groups: { type: 'string' },
        remote: { type: 'boolean' },
        function: { type: 'string' },
        region: { type: 'string' },
        profile: { type: 'string' },
        endpoint: { type: 'string' },
        config: { type: 'string' },
        'state-dir': { type: 'string' },
      },
    });
  } catch (error) {
    throw asUsageError(error);
  }
}
