/**
 * `startStack`: the whole pattern on loopback — identity, the Lambda service running the edge and
 * core bundles, the gateway emulator in front of the edge, and (optionally) the web dev server —
 * wired as on AWS, then described in `<stateDir>/local.json`. `gatehouse dev`, the whole-stack
 * tests, the browser tests and the benches all start it this way.
 */
import path from 'node:path';
import { type LoadedProjectConfig, loadProjectConfig } from '@gatehouse/bundler';
import {
  type AuthMode,
  type AuthOption,
  describeApi,
  LAMBDA_AUTHORIZER,
  loopbackOrigins,
  parseAllowedOrigins,
  type ResolvedCore,
  type ResolvedProjectConfig,
  type WebConfig,
  webRoutes,
  writeEdgeEnvironment,
} from '@gatehouse/contract';
import { startCredentialsEndpoint } from '../credentials';
import { type GatewayLogEntry, startGateway } from '../gateway';
import { loadLocalCredential } from '../iam';
import { DEMO_USER, type IdentityService, LOCAL_POOL, MAILBOX_PATH, startIdentity } from '../identity';
import {
  type FunctionDefinition,
  type FunctionIsolation,
  type LambdaService,
  type LogSink,
  nodeBundle,
  startLambdaService,
} from '../lambda';
import { assertPortFree, freePort, PortInUseError } from '../net/listen';
import { startSsmEmulator } from '../ssm';
import { allStarted } from './all-started';
import { buildProjectBundles, type ProjectBundles } from './bundles';
import { type CoreDependencies, prepareCoreDependencies } from './core-dependencies';
import { coreFunction } from './core-function';
import { type LocalConfig, type LocalServices, writeLocalConfig, writeServices } from './local-config';
import { type ProjectChange, projectChange } from './project-change';
import { watchRequirements } from './requirements-watch';
import { authorizerFunction, gatewayAuthorizer, PUBLIC_API_WARNING, resolveStackAuth } from './stack-auth';
import { edgeJobEnvironment, jobTimeline, runnerFunction, startStackJobs } from './stack-jobs';

export interface StackPorts {
  identity: number;
  gateway: number;
  lambda: number;
  web: number;
}

/** The ports `gatehouse dev` uses unless told otherwise. */
export const DEV_PORTS: StackPorts = { identity: 9229, gateway: 3000, lambda: 3001, web: 5173 };

export type StackLogSource =
  | 'identity'
  | 'mail'
  | 'lambda'
  | 'gateway'
  | 'web'
  | 'build'
  | 'origin'
  | 'config'
  | 'jobs';

export interface StackOptions {
  /** The project's `gatehouse.config.ts` (or an already loaded one): routes, cores, auth. */
  config: string | LoadedProjectConfig;
  host?: string;
  /** 0 picks a free port; omitted ports are free ones. */
  ports?: Partial<StackPorts>;
  /** Where `local.json`, the identity store (`.cognito/`) and the jobs table (`dynamodb/`) live. */
  stateDir: string;
  /**
   * More origins the local identity service, gateway and edge admit, beyond the web app's and the
   * loopback origins of the config's `origins` — e.g. the developer's own app on another port
   * (`gatehouse dev --origin`). Exact origins only: never `*`, never a scheme prefix.
   */
  origins?: readonly string[];
  /**
   * More origins the identity service answers, beyond the web app's (never the API's). Cognito
   * answers any origin on AWS; locally only pages that need to sign in may — e.g. a test page the
   * API refuses on purpose.
   */
  identityOrigins?: readonly string[];
  /**
   * Starts the web app on its port (none by default). Handed in rather than imported, so this
   * library installs without Vite and React: `gatehouse dev` passes `@gatehouse/web`'s
   * `startWebDevServer` when the app is installed.
   */
  web?: WebServerStarter;
  /** Rebuild bundles on source changes and reload the functions. */
  watch?: boolean;
  /**
   * Who admits callers — the very option the CDK construct takes (default: the config's `auth`).
   * `none` must be acknowledged (`acknowledgePublic: true`) and is warned about at start.
   */
  auth?: AuthOption;
  /** The gateway's Lambda authorizer result cache (default API Gateway's 300 s; tests shorten it). */
  authorizerResultsCacheTtlSeconds?: number;
  /** Overrides for the edge's environment; an `undefined` value removes a variable. */
  edgeEnvironment?: Partial<Record<string, string>>;
  /** Overrides every core's `timeoutSeconds` (tests shorten it). */
  coreTimeoutSeconds?: number;
  /** Another STS endpoint for the cores' `assumeRole` credentials (tests). */
  stsEndpoint?: string;
  /** More functions for the Lambda service (tests register fixtures, e.g. a slow core). */
  extraFunctions?: FunctionDefinition[];
  /**
   * What each execution environment of a Node.js function is — the edge, the Lambda authorizer,
   * the job runner, Node cores, and extra functions that do not name their own: its own process
   * (default) or a worker thread of the stack's process, cheaper to start and to reach but sharing
   * the stack's working directory, time zone and memory (docs/LOCAL.md, "Node environments as
   * threads"). `gatehouse dev --node-threads`.
   */
  nodeIsolation?: FunctionIsolation;
  onLog?: (source: StackLogSource, line: string) => void;
  onRequest?: (entry: GatewayLogEntry) => void;
  /**
   * In watch mode, a config edit that checks out and changes what the stack is built from (routes,
   * cores, origins, auth, limits): the caller restarts the stack with `next` (`gatehouse dev`
   * does). Edits inside the edge bundle alone (schemas, examples) are served by reloading the edge.
   * A config that does not check out is reported and the last good one keeps serving.
   */
  onProjectChange?: (next: LoadedProjectConfig, change: ProjectChange) => void;
}

/** What the stack needs of a web app's server: start it on a port with the stack's config, stop it. */
export type WebServerStarter = (options: {
  host: string;
  port: number;
  webConfig: WebConfig;
  projectConfigFile: string;
  /**
   * The config's `web.panel`, resolved: the app imports it lazily, so the server is told of it at
   * start to pre-bundle its dependencies before the first page rather than reload pages later.
   */
  panelFile?: string;
  /** Never served: it holds the identity service's signing key and the local credential. */
  stateDir: string;
}) => Promise<{ close(): Promise<void> }>;

export interface RunningStack {
  config: LocalConfig;
  /** The project config the stack runs. */
  project: LoadedProjectConfig;
  /** Lambda function name of each core, and of the edge. */
  functionNames: { edge: string; cores: ReadonlyMap<string, string> };
  /** Where `local.json` was written. */
  configFile: string;
  lambda: LambdaService;
  /** The auth mode it runs, and what scripts need beyond `local.json` (also in `services.json`). */
  auth: AuthMode;
  services: LocalServices;
  /** PIDs of the identity emulator and of every Lambda worker process alive now (threads have none). */
  pids(): number[];
  stop(): Promise<void>;
}

/**
 * The edge's and the core's concurrency. Lambda refuses (429) rather than queues past a function's
 * concurrency, and API Gateway turns a throttled integration into a bare 500; on AWS both draw on
 * the account's unreserved pool, so locally neither may throttle ordinary load (the benches run
 * concurrency 32). A function given its own `maxWorkers` shows throttling: the edge maps the
 * core's 429 to 503 + Retry-After. Processes are bounded apart from this (one per CPU core, at
 * least two, per function): invocations past them wait for a free environment and are dropped
 * unrun if their caller gives up first (docs/PERFORMANCE.md).
 */
const FUNCTION_CONCURRENCY = 64;
const EDGE = { timeoutSeconds: 30, memoryMb: 256, maxWorkers: FUNCTION_CONCURRENCY };

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const host = options.host ?? '127.0.0.1';
  const log = options.onLog ?? (() => {});
  const project = typeof options.config === 'string' ? await loadProjectConfig(options.config) : options.config;
  const resolved = project.resolved;
  const auth = options.auth ?? resolved.auth;
  const names = functionNamesOf(project);
  const stackAuth = resolveStackAuth(auth, options.stateDir);
  const credential = loadLocalCredential(options.stateDir);
  if (auth.mode === 'none') log('gateway', `WARNING: ${PUBLIC_API_WARNING}`);
  const ports = await choosePorts(host, options.ports ?? {}, options.web !== undefined);
  const webOrigins = [`http://127.0.0.1:${ports.web}`, `http://localhost:${ports.web}`];
  const localOrigins = stackOrigins(webOrigins, resolved.origins, options.origins ?? []);
  const onRefusedOrigin = refusedOriginReporter(localOrigins, log);
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => {});
  };

  try {
    const dependencies = prepareCoreDependencies(resolved.cores, project.dir, options.stateDir, (core, line) =>
      log('build', `${names.cores.get(core)} ${line}`),
    );
    // Side by side; each tracks itself for stop() as soon as it is up (see all-started.ts).
    const [bundles, identity, ssm] = await allStarted([
      buildProjectBundles(project, path.join(options.stateDir, 'build'), {
        authorizer: stackAuth.bundles.includes('authorizer'),
        watch: options.watch ?? false,
        onLog: (line) => log('build', line),
        onProject: (next) => {
          const change = projectChange(resolved, next.resolved);
          if (change.edgeOnly) log('config', 'the edge reloaded with the edited schemas, examples and descriptions');
          else options.onProjectChange?.(next, change);
        },
        onProjectProblem: (error) =>
          log('config', `the edited config is not served — the last good one still is:\n${problemText(error)}`),
      }).then((b) => track(b, stops)),
      startIdentity({
        host,
        port: ports.identity,
        stateDir: options.stateDir,
        adminCredential: credential,
        allowedOrigins: [...localOrigins, ...(options.identityOrigins ?? [])],
        onRefusedOrigin: (origin) => onRefusedOrigin('identity', origin),
        onLog: (line) => log('identity', line),
        onMail: (_mail, line) => log('mail', line),
      }).then((i) => track(i, stops)),
      // Parameter Store for the API-key authorizer and `gatehouse keys --local` (found through services.json).
      startSsmEmulator({
        host,
        port: 0,
        dataFile: path.join(options.stateDir, 'ssm-parameters.json'),
        credential,
        region: LOCAL_POOL.region,
      }).then((p) => track(p, stops)),
    ] as const);
    const jobs = await startStackJobs(project, {
      host,
      stateDir: options.stateDir,
      region: identity.region,
      credential,
      log: (line) => log('jobs', line),
    }).then((j) => j && track(j, stops));
    const credentials = track(
      await startCredentialsEndpoint({ onProblem: (core, line) => log('lambda', `${names.cores.get(core)} ${line}`) }),
      stops,
    );
    const coreDependencies = await dependencies;
    const runCore = (core: ResolvedCore, coreDependencies: CoreDependencies | undefined) =>
      coreFunction(core, project, {
        name: names.cores.get(core.name) ?? core.name,
        nodeBundle: bundles.nodeCores.get(core.name),
        timeoutSeconds: options.coreTimeoutSeconds,
        maxWorkers: FUNCTION_CONCURRENCY,
        dependencies: coreDependencies,
        credentials,
        stsEndpoint: options.stsEndpoint,
      });
    const lambda = track(
      await startLambdaService({
        host,
        port: ports.lambda,
        region: identity.region,
        credential,
        ...(options.nodeIsolation ? { nodeIsolation: options.nodeIsolation } : {}),
        onLog: ((name, _stream, line) => {
          const timeline = name === jobs?.runner ? jobTimeline(line) : undefined;
          log(timeline ? 'jobs' : 'lambda', timeline ?? `${name} ${line}`);
        }) satisfies LogSink,
        functions: [
          ...resolved.cores.map((core) => runCore(core, coreDependencies.get(core.name))),
          ...(auth.mode === 'lambda' && bundles.authorizer
            ? [authorizerFunction(auth.lambda, bundles.authorizer, identity, ssm.url, resolved.tokenUse)]
            : []),
          ...(options.extraFunctions ?? []),
        ],
      }),
      stops,
    );
    if (jobs && bundles.jobRunner) {
      lambda.register(runnerFunction(project, jobs, bundles.jobRunner, Object.fromEntries(names.cores), lambda.url));
    }
    if (options.watch) {
      const stopWatching = watchRequirements({
        cores: resolved.cores,
        projectDir: project.dir,
        stateDir: options.stateDir,
        onChange: (core, coreDependencies) => lambda.register(runCore(core, coreDependencies)),
        log: (core, line) => log('build', `${names.cores.get(core)} ${line}`),
      });
      stops.push(async () => stopWatching());
    }
    lambda.register(
      edgeFunction(
        project,
        bundles,
        names,
        [...new Set([...localOrigins, ...resolved.origins])],
        lambda.url,
        auth.mode,
        { ...(jobs ? edgeJobEnvironment(jobs) : {}), ...options.edgeEnvironment },
      ),
    );
    const gateway = track(
      await withPortName(ports.gateway, 'gateway', '--gateway-port', () =>
        startGateway({
          host,
          port: ports.gateway,
          api: describeApi(resolved),
          allowedOrigins: parseAllowedOrigins(localOrigins),
          onRefusedOrigin: (origin) => onRefusedOrigin('gateway', origin),
          authorizer: gatewayAuthorizer(
            auth,
            stackAuth,
            identity,
            options.authorizerResultsCacheTtlSeconds ?? LAMBDA_AUTHORIZER.resultsCacheTtlSeconds,
          ),
          // One program: the gateway hands invocations to the function pools, not over HTTP (so it
          // needs no credential for the Invoke API).
          lambdaService: lambda,
          region: identity.region,
          functionNames: { edge: names.edge },
          ...(options.onRequest ? { onRequest: options.onRequest } : {}),
        }),
      ),
      stops,
    );
    const config: LocalConfig = {
      apiUrl: gateway.stageUrl,
      webUrl: webOrigins[0] as string,
      allowedOrigins: localOrigins,
      lambdaEndpoint: lambda.url,
      cognito: {
        endpoint: identity.endpoint,
        region: identity.region,
        userPoolId: identity.userPoolId,
        clientId: identity.clientId,
        issuer: identity.issuer,
      },
      demoUser: { username: DEMO_USER.username, password: DEMO_USER.password },
    };
    const startWeb = options.web;
    if (startWeb) {
      // The app bundles the config file itself (route schemas for the console, `web.panel`).
      const panel = project.config.web?.panel;
      const web = {
        webConfig: webConfig(config, auth, resolved),
        projectConfigFile: project.file,
        ...(panel ? { panelFile: path.resolve(path.dirname(project.file), panel) } : {}),
        stateDir: options.stateDir,
      };
      track(
        await withPortName(ports.web, 'web', '--web-port', () => startWeb({ host, port: ports.web, ...web })),
        stops,
      );
    }
    const services: LocalServices = {
      ssmEndpoint: ssm.url,
      region: identity.region,
      authMode: auth.mode,
      ...(auth.mode === 'lambda' ? { lambda: auth.lambda } : {}),
      ...(stackAuth.iamCredential
        ? {
            iam: {
              accessKeyId: stackAuth.iamCredential.accessKeyId,
              secretAccessKey: stackAuth.iamCredential.secretAccessKey,
              region: identity.region,
            },
          }
        : {}),
    };
    writeServices(options.stateDir, services);
    const configFile = writeLocalConfig(options.stateDir, config);
    return {
      config,
      configFile,
      project,
      functionNames: names,
      lambda,
      auth: auth.mode,
      services,
      pids: () => stackPids(identity, lambda),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The browser app's configuration for this stack: `auth` tells it what a refusal means, and the
 * project's routes fill its route console.
 */
export function webConfig(
  config: LocalConfig,
  auth: AuthOption = { mode: 'cognito' },
  project?: Pick<ResolvedProjectConfig, 'routes'>,
): WebConfig {
  return {
    auth: auth.mode === 'lambda' ? { mode: 'lambda', lambda: auth.lambda.kind } : { mode: auth.mode },
    ...(project ? { routes: webRoutes(project) } : {}),
    apiUrl: config.apiUrl,
    region: config.cognito.region,
    userPoolId: config.cognito.userPoolId,
    userPoolClientId: config.cognito.clientId,
    userPoolEndpoint: config.cognito.endpoint,
    authFlowType: 'USER_SRP_AUTH',
    localDemoUser: config.demoUser,
    localMailboxUrl: `${config.cognito.endpoint}${MAILBOX_PATH}`,
  };
}

function problemText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The origins whose pages may use the local stack: its own web app's, the loopback ones among the
 * config's `origins` (the developer's own app, e.g. Vite's `http://localhost:5173`), and those
 * given with `--origin`. Deployed origins stay the deployed API's: a local service never admits a
 * remote page.
 */
function stackOrigins(web: readonly string[], configured: readonly string[], given: readonly string[]): string[] {
  for (const origin of given) {
    const [rule] = parseAllowedOrigins([origin]);
    if (rule?.kind !== 'exact')
      throw new StackOriginError(`--origin ${origin}: give an exact origin, e.g. http://localhost:5173`);
  }
  return [...new Set([...web, ...loopbackOrigins(configured), ...given])];
}

/** A bad `--origin`: refused before anything starts. */
export class StackOriginError extends Error {
  override name = 'StackOriginError';
}

/** One dev-log line per refused origin, with the fix, however many requests it sends. */
function refusedOriginReporter(
  allowed: readonly string[],
  log: (source: StackLogSource, line: string) => void,
): (service: 'identity' | 'gateway', origin: string) => void {
  const reported = new Set<string>();
  return (service, origin) => {
    if (reported.has(origin) || reported.size >= 100) return;
    reported.add(origin);
    log(
      'origin',
      `the ${service} refused a page from ${JSON.stringify(origin)}: the local stack admits ${allowed.join(', ')}. ` +
        "If it is your app, add it to the config's origins or restart with --origin <origin>.",
    );
  };
}

function track<T extends { close(): Promise<void> } | { dispose(): Promise<void> }>(
  resource: T,
  stops: Array<() => Promise<unknown>>,
): T {
  stops.push(() => ('close' in resource ? resource.close() : resource.dispose()));
  return resource;
}

/**
 * Fixed ports are checked up front so a busy one fails before anything starts. Port 0 stays 0 (each
 * server takes a free port when it binds) except the web app's, which the allowed origins must
 * name before the gateway and edge start. Without the web app, its port only names the allowed
 * origin — often the developer's own app, already listening there — so it may be busy.
 */
async function choosePorts(host: string, wanted: Partial<StackPorts>, web: boolean): Promise<StackPorts> {
  const chosen = { identity: 0, gateway: 0, lambda: 0, web: 0, ...wanted };
  for (const service of ['identity', 'gateway', 'lambda', 'web'] as const) {
    if (service === 'web' && !web) continue;
    if (chosen[service] !== 0) await assertPortFree(chosen[service], host, service, `--${service}-port`);
  }
  if (chosen.web === 0) chosen.web = await freePort(host);
  return chosen;
}

/** Function names as the construct deploys them: `<project>-edge`, `<project>-<core>`. */
function functionNamesOf(project: LoadedProjectConfig): RunningStack['functionNames'] {
  const { name, cores } = project.resolved;
  return { edge: `${name}-edge`, cores: new Map(cores.map((core) => [core.name, `${name}-${core.name}`])) };
}

function edgeFunction(
  project: LoadedProjectConfig,
  bundles: ProjectBundles,
  names: RunningStack['functionNames'],
  origins: string[],
  lambdaEndpoint: string,
  authMode: AuthMode,
  overrides: Partial<Record<string, string>>,
): FunctionDefinition {
  const { resolved } = project;
  const environment: Record<string, string> = writeEdgeEnvironment({
    coreTargets: Object.fromEntries(names.cores),
    allowedOrigins: origins,
    authMode,
    requiredTokenUse: resolved.tokenUse,
    requiredGroups: resolved.requiredGroups,
    maxBodyBytes: resolved.maxBodyBytes,
    coreTimeoutMs: resolved.coreTimeoutMs,
    lambdaEndpoint,
  });
  // Overrides are the tests' (a shorter deadline, a broken variable on purpose): applied verbatim.
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete environment[key];
    else environment[key] = value;
  }
  return { name: names.edge, ...nodeBundle(bundles.edge), ...EDGE, environment };
}

/** A port taken between the up-front check and the real bind still gets the named message. */
async function withPortName<T>(port: number, service: string, option: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || /already in use/i.test((error as Error).message))
      throw new PortInUseError(port, service, option);
    throw error;
  }
}

function stackPids(identity: IdentityService, lambda: LambdaService): number[] {
  const workers = lambda.pools().flatMap((pool) => pool.pids);
  return identity.pid === undefined ? workers : [identity.pid, ...workers];
}
