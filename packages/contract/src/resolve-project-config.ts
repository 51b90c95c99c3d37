/**
 * Checks a project config and fills in its defaults. Every problem is collected and named by its
 * key, the value found and what is allowed — `routes["POST /ask"].core: "askk" is not a core of
 * this project (cores: ask)` — so one run shows everything to fix, before anything starts or deploys.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type AuthOption, authOptionProblem } from './auth-modes';
import {
  type ResolvedCoreCredentials,
  resolveCoreArchitecture,
  resolveCoreCredentials,
  resolveCorePermissions,
} from './core-aws-access';
import { JOB_DEFAULTS, JOB_LIMITS, JOBS_ROUTE, type ResolvedJob } from './jobs';
import { parseAllowedOrigins } from './origins';
import {
  CORE_RUNTIMES,
  type CoreArchitecture,
  type CoreConfig,
  type CorePermission,
  type CoreRuntime,
  type GatehouseConfig,
  PAYLOAD_MODES,
  type PayloadMode,
  type RemoteCoreConfig,
} from './project-config';
import { PROJECT_DEFAULTS, type TokenUse } from './project-defaults';
import { BODY_METHODS, type ParsedRouteKey, parseRouteKey } from './route-key';

export interface ResolvedRoute extends ParsedRouteKey {
  /** `POST /inference`, as API Gateway writes the route key. */
  key: string;
  core: string;
  schema: StandardSchemaV1 | undefined;
  payload: PayloadMode;
  groups: readonly string[];
  /** Routes with a JSON body (POST, PUT, PATCH). */
  hasBody: boolean;
  example: unknown;
  description: string | undefined;
  /** Set for job routes (docs/JOBS.md). */
  job: ResolvedJob | undefined;
}

export interface ResolvedCore {
  name: string;
  runtime: CoreRuntime;
  /** As written, relative to the config file's folder. */
  code: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Readonly<Record<string, string>>;
  existing: string | undefined;
  remote: RemoteCoreConfig | undefined;
  /** Locally: whose AWS credentials the core's own AWS calls use. */
  credentials: ResolvedCoreCredentials;
  /** On AWS: statements added to the core's execution role. */
  permissions: readonly CorePermission[];
  architecture: CoreArchitecture;
}

export interface ResolvedProjectConfig {
  name: string;
  stage: string;
  routes: readonly ResolvedRoute[];
  cores: readonly ResolvedCore[];
  auth: AuthOption;
  origins: readonly string[];
  tokenUse: TokenUse;
  requiredGroups: readonly string[];
  maxBodyBytes: number;
  coreTimeoutMs: number;
  /** The local web app's project panel module, as written (relative to the config file). */
  webPanel: string | undefined;
}

export interface ConfigProblem {
  /** Where in the config: `routes["POST /ask"].core`. */
  key: string;
  message: string;
}

export class ProjectConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly source?: string,
  ) {
    const where = source ? ` in ${source}` : '';
    super(
      `The gatehouse config${where} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n'),
    );
    this.name = 'ProjectConfigError';
  }
}

const NAME = /^[A-Za-z][A-Za-z0-9-]{0,39}$/;
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
const HANDLER = /^[^\s.][^\s]*\.[A-Za-z_$][\w$]*$/;
const ENV_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Variables Lambda sets itself and refuses in a function's configuration. */
const RESERVED_ENV = /^(AWS_|LAMBDA_|_HANDLER$|_X_AMZN_TRACE_ID$|TZ$)/;

/** @throws ProjectConfigError listing every problem. */
export function resolveProjectConfig(config: unknown, source?: string): ResolvedProjectConfig {
  const problems: ConfigProblem[] = [];
  const problem = (key: string, message: string) => problems.push({ key, message });
  if (!isRecord(config)) {
    throw new ProjectConfigError(
      [
        {
          key: '(config)',
          message: `must be an object from defineConfig({ routes, cores }) (got ${describe(config)})`,
        },
      ],
      source,
    );
  }
  const input = config as Partial<GatehouseConfig>;
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.includes(key)) problem(key, `is not a config key (known: ${KNOWN_KEYS.join(', ')})`);
  }

  const name = optionalString(
    input.name,
    'name',
    PROJECT_DEFAULTS.name,
    NAME,
    'letters, digits and -, 1–40, starting with a letter',
    problem,
  );
  const stage = optionalString(
    input.stage,
    'stage',
    PROJECT_DEFAULTS.stage,
    STAGE,
    'letters, digits, _ and -, 1–128',
    problem,
  );
  const cores = resolveCores(input.cores, problem);
  const routes = resolveRoutes(input.routes, new Set(cores.map((c) => c.name)), problem);
  checkJobCores(routes, cores, problem);

  const auth = input.auth ?? { mode: 'cognito' };
  const authProblem = isRecord(auth)
    ? authOptionProblem(auth as AuthOption)
    : 'must be an object like { mode: "cognito" }';
  if (authProblem) problem('auth', authProblem);

  let origins: readonly string[] = [];
  if (input.origins !== undefined) {
    if (!Array.isArray(input.origins) || !input.origins.every((o) => typeof o === 'string')) {
      problem('origins', `must be a list of origins like ["https://app.example.com"] (got ${describe(input.origins)})`);
    } else {
      try {
        parseAllowedOrigins(input.origins.join(','));
        origins = input.origins;
      } catch (error) {
        problem('origins', (error as Error).message);
      }
    }
  }

  const tokenUse = input.tokenUse ?? PROJECT_DEFAULTS.tokenUse;
  if (tokenUse !== 'id' && tokenUse !== 'access')
    problem('tokenUse', `must be "id" or "access" (got ${describe(tokenUse)})`);
  const requiredGroups = groupList(input.requiredGroups, 'requiredGroups', problem);
  const authMode = isRecord(auth) ? (auth as AuthOption).mode : 'cognito';
  if (authMode === 'iam' || authMode === 'none') {
    const grouped = [
      ...(requiredGroups.length > 0 ? ['requiredGroups'] : []),
      ...routes.filter((r) => r.groups.length > 0).map((r) => `routes["${r.key}"].groups`),
    ];
    for (const key of grouped) problem(key, `cannot be used with auth "${authMode}": such callers belong to no group`);
  }

  const maxBodyBytes = boundedInteger(
    input.limits?.maxBodyBytes,
    'limits.maxBodyBytes',
    PROJECT_DEFAULTS.maxBodyBytes,
    1,
    6 * 1024 * 1024,
    problem,
  );
  const coreTimeoutMs = boundedInteger(
    input.deadlines?.coreTimeoutMs,
    'deadlines.coreTimeoutMs',
    PROJECT_DEFAULTS.coreTimeoutMs,
    100,
    29_000,
    problem,
  );

  const webPanel = input.web?.panel;
  if (input.web !== undefined && (!isRecord(input.web) || (webPanel !== undefined && typeof webPanel !== 'string'))) {
    problem('web', `must be like { panel: "./web/index.tsx" } (got ${describe(input.web)})`);
  }

  if (problems.length > 0) throw new ProjectConfigError(problems, source);
  return {
    name,
    stage,
    routes,
    cores,
    auth: auth as AuthOption,
    origins,
    tokenUse: tokenUse as TokenUse,
    requiredGroups,
    maxBodyBytes,
    coreTimeoutMs,
    webPanel: typeof webPanel === 'string' ? webPanel : undefined,
  };
}

const KNOWN_KEYS = [
  'name',
  'stage',
  'routes',
  'cores',
  'auth',
  'origins',
  'tokenUse',
  'requiredGroups',
  'limits',
  'deadlines',
  'web',
];
const ROUTE_KEYS = ['core', 'schema', 'payload', 'groups', 'example', 'description', 'job'];
const JOB_KEYS = ['timeoutSeconds', 'keepHours', 'maxConcurrent'];
const CORE_KEYS = [
  'runtime',
  'code',
  'handler',
  'timeoutSeconds',
  'memoryMb',
  'environment',
  'existing',
  'remote',
  'credentials',
  'permissions',
  'architecture',
];

type Report = (key: string, message: string) => void;

function resolveRoutes(routes: unknown, coreNames: ReadonlySet<string>, problem: Report): ResolvedRoute[] {
  if (!isRecord(routes) || Object.keys(routes).length === 0) {
    problem(
      'routes',
      `must name at least one route, like { "POST /inference": { core: "main", schema } } (got ${describe(routes)})`,
    );
    return [];
  }
  const resolved: ResolvedRoute[] = [];
  for (const [key, value] of Object.entries(routes)) {
    const at = `routes["${key}"]`;
    const parsed = parseRouteKey(key);
    if (!parsed.ok) {
      problem(at, `is not a route key API Gateway accepts: ${parsed.reason}`);
      continue;
    }
    if (parsed.route.path === JOBS_ROUTE.path && (parsed.route.method === 'GET' || parsed.route.method === 'ANY')) {
      problem(at, `clashes with ${JOBS_ROUTE.key}, which gatehouse serves for job routes`);
    }
    if (!isRecord(value)) {
      problem(at, `must be an object like { core, schema } (got ${describe(value)})`);
      continue;
    }
    for (const field of Object.keys(value)) {
      if (!ROUTE_KEYS.includes(field))
        problem(`${at}.${field}`, `is not a route setting (known: ${ROUTE_KEYS.join(', ')})`);
    }
    const route = value as Record<string, unknown>;
    const hasBody = (BODY_METHODS as readonly string[]).includes(parsed.route.method) || parsed.route.method === 'ANY';
    if (typeof route.core !== 'string' || !coreNames.has(route.core)) {
      const known = coreNames.size > 0 ? [...coreNames].join(', ') : 'none defined';
      problem(`${at}.core`, `${describe(route.core)} is not a core of this project (cores: ${known})`);
    }
    const schema = route.schema;
    if (schema !== undefined && !isStandardSchema(schema)) {
      problem(`${at}.schema`, 'must be a Standard Schema validator (zod ≥ 3.24, valibot ≥ 1, arktype ≥ 2)');
    } else if (schema === undefined && hasBody && parsed.route.method !== 'ANY') {
      problem(
        `${at}.schema`,
        `is required for ${parsed.route.method} routes: the edge validates every body before a core sees it`,
      );
    }
    const payload = route.payload ?? 'enriched';
    if (!(PAYLOAD_MODES as readonly unknown[]).includes(payload)) {
      problem(`${at}.payload`, `must be one of ${PAYLOAD_MODES.join(', ')} (got ${describe(payload)})`);
    } else if (payload === 'input' && parsed.route.parameters.length > 0) {
      problem(
        `${at}.payload`,
        `"input" sends the body alone, so {${parsed.route.parameters.join('}, {')}} would never reach the core; use "enriched"`,
      );
    }
    if (route.description !== undefined && typeof route.description !== 'string') {
      problem(`${at}.description`, `must be a string (got ${describe(route.description)})`);
    }
    resolved.push({
      ...parsed.route,
      key,
      core: String(route.core),
      schema: isStandardSchema(schema) ? schema : undefined,
      payload: payload as PayloadMode,
      groups: groupList(route.groups, `${at}.groups`, problem),
      hasBody,
      example: route.example,
      description: typeof route.description === 'string' ? route.description : undefined,
      job: route.job === undefined ? undefined : resolveJob(route.job, `${at}.job`, problem),
    });
  }
  return resolved;
}

function resolveJob(value: unknown, at: string, problem: Report): ResolvedJob {
  if (!isRecord(value)) {
    problem(at, `must be an object like { timeoutSeconds: 300 } (got ${describe(value)})`);
    return JOB_DEFAULTS;
  }
  for (const field of Object.keys(value)) {
    if (!JOB_KEYS.includes(field)) problem(`${at}.${field}`, `is not a job setting (known: ${JOB_KEYS.join(', ')})`);
  }
  return {
    timeoutSeconds: boundedInteger(
      value.timeoutSeconds,
      `${at}.timeoutSeconds`,
      JOB_DEFAULTS.timeoutSeconds,
      1,
      JOB_LIMITS.maxTimeoutSeconds,
      problem,
    ),
    keepHours: boundedInteger(
      value.keepHours,
      `${at}.keepHours`,
      JOB_DEFAULTS.keepHours,
      1,
      JOB_LIMITS.maxKeepHours,
      problem,
    ),
    maxConcurrent: boundedInteger(
      value.maxConcurrent,
      `${at}.maxConcurrent`,
      JOB_DEFAULTS.maxConcurrent,
      1,
      JOB_LIMITS.maxConcurrent,
      problem,
    ),
  };
}

/**
 * A core's own Lambda timeout ends it first: a job allowed 600 s on a core deployed with 10 s would
 * fail every run after 10 s with a generic error instead of the job's `core_timeout`.
 */
function checkJobCores(routes: readonly ResolvedRoute[], cores: readonly ResolvedCore[], problem: Report): void {
  for (const route of routes) {
    const core = cores.find((c) => c.name === route.core);
    if (!route.job || !core || core.existing || core.timeoutSeconds >= route.job.timeoutSeconds) continue;
    problem(
      `routes["${route.key}"].job.timeoutSeconds`,
      `is ${route.job.timeoutSeconds} but core "${core.name}" times out after ${core.timeoutSeconds} s; raise cores.${core.name}.timeoutSeconds to at least ${route.job.timeoutSeconds}`,
    );
  }
}

function resolveCores(cores: unknown, problem: Report): ResolvedCore[] {
  if (!isRecord(cores) || Object.keys(cores).length === 0) {
    problem(
      'cores',
      `must name at least one core, like { main: { runtime: "nodejs22.x", code: "./core", handler: "index.handler" } } (got ${describe(cores)})`,
    );
    return [];
  }
  const resolved: ResolvedCore[] = [];
  for (const [name, value] of Object.entries(cores)) {
    const at = `cores.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9-]{0,30}$/.test(name)) {
      problem(at, 'a core name is letters, digits and -, 1–31, starting with a letter (it names a Lambda function)');
    }
    if (!isRecord(value)) {
      problem(at, `must be an object like { runtime, code, handler } (got ${describe(value)})`);
      continue;
    }
    for (const field of Object.keys(value)) {
      if (!CORE_KEYS.includes(field))
        problem(`${at}.${field}`, `is not a core setting (known: ${CORE_KEYS.join(', ')})`);
    }
    const core = value as Partial<CoreConfig>;
    if (!(CORE_RUNTIMES as readonly unknown[]).includes(core.runtime)) {
      problem(
        `${at}.runtime`,
        `${describe(core.runtime)} is not a supported runtime (supported: ${CORE_RUNTIMES.join(', ')})`,
      );
    }
    const local = core.remote === undefined;
    if (typeof core.code !== 'string' || core.code.trim() === '') {
      if (local || core.existing === undefined)
        problem(`${at}.code`, `must be the core's folder, relative to the config file (got ${describe(core.code)})`);
    }
    if (typeof core.handler !== 'string' || (core.runtime !== 'provided.al2023' && !HANDLER.test(core.handler))) {
      problem(
        `${at}.handler`,
        `must be Lambda's handler string "<file>.<function>", e.g. "handler.handler" (got ${describe(core.handler)})`,
      );
    }
    const environment = core.environment ?? {};
    if (!isRecord(environment)) {
      problem(`${at}.environment`, `must be an object of strings (got ${describe(environment)})`);
    } else {
      for (const [key, v] of Object.entries(environment)) {
        if (!ENV_NAME.test(key) || RESERVED_ENV.test(key))
          problem(
            `${at}.environment.${key}`,
            'is not a name Lambda accepts (letters, digits, _; not AWS_*, LAMBDA_*, _HANDLER, TZ)',
          );
        if (typeof v !== 'string') problem(`${at}.environment.${key}`, `must be a string (got ${describe(v)})`);
      }
    }
    if (core.existing !== undefined && !isFunctionReference(core.existing)) {
      problem(`${at}.existing`, `must be a Lambda function name or ARN (got ${describe(core.existing)})`);
    }
    if (core.remote !== undefined) {
      if (!isRecord(core.remote) || !isFunctionReference(core.remote.function)) {
        problem(
          `${at}.remote.function`,
          `must be the deployed function's name or ARN (got ${describe(isRecord(core.remote) ? core.remote.function : core.remote)})`,
        );
      }
    }
    const permissions = resolveCorePermissions(core.permissions, `${at}.permissions`, problem);
    if (core.existing !== undefined && permissions.length > 0) {
      problem(
        `${at}.permissions`,
        'cannot be added to an existing function: gatehouse does not own its role (grant them where it is defined)',
      );
    }
    resolved.push({
      name,
      runtime: core.runtime as CoreRuntime,
      code: typeof core.code === 'string' ? core.code : '.',
      handler: String(core.handler),
      timeoutSeconds: boundedInteger(
        core.timeoutSeconds,
        `${at}.timeoutSeconds`,
        PROJECT_DEFAULTS.coreTimeoutSeconds,
        1,
        900,
        problem,
      ),
      memoryMb: boundedInteger(core.memoryMb, `${at}.memoryMb`, PROJECT_DEFAULTS.coreMemoryMb, 128, 10_240, problem),
      environment: isRecord(environment) ? (environment as Record<string, string>) : {},
      existing: core.existing,
      remote: core.remote,
      credentials: resolveCoreCredentials(core.credentials, `${at}.credentials`, problem),
      permissions,
      architecture: resolveCoreArchitecture(core.architecture, `${at}.architecture`, problem),
    });
  }
  return resolved;
}

function isFunctionReference(value: unknown): value is string {
  return typeof value === 'string' && (FUNCTION_NAME.test(value) || FUNCTION_ARN.test(value));
}

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const standard = (value as { '~standard'?: { version?: unknown; validate?: unknown } })['~standard'];
  return (
    typeof standard === 'object' &&
    standard !== null &&
    standard.version === 1 &&
    typeof standard.validate === 'function'
  );
}

function groupList(value: unknown, key: string, problem: Report): readonly string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    !value.every((g) => typeof g === 'string' && /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(g))
  ) {
    problem(key, `must be a list of Cognito group names (got ${describe(value)})`);
    return [];
  }
  return value;
}

function optionalString(
  value: unknown,
  key: string,
  fallback: string,
  pattern: RegExp,
  allowed: string,
  problem: Report,
): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !pattern.test(value)) {
    problem(key, `${describe(value)} is not allowed (${allowed})`);
    return fallback;
  }
  return value;
}

function boundedInteger(
  value: unknown,
  key: string,
  fallback: number,
  min: number,
  max: number,
  problem: Report,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problem(key, `must be a whole number from ${min} to ${max} (got ${describe(value)})`);
    return fallback;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
