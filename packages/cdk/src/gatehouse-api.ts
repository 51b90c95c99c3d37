/**
 * `GatehouseApi`: the whole pattern as one construct — an HTTP API with one route per route of the
 * project config, all on the one edge Lambda, which invokes each route's core; least-privilege roles,
 * access logs, alarms and a dashboard around them. Drop it into any stack: the gatehouse app's own,
 * a CDK app's, or an Amplify Gen 2 backend's `backend.createStack('Gatehouse')`.
 *
 * @example
 * const { resolved: project } = await loadProjectConfig('gatehouse.config.ts');
 * new GatehouseApi(stack, 'Api', {
 *   project,
 *   configFile: 'gatehouse.config.ts',
 *   userPool: backend.auth.resources.userPool,
 *   userPoolClients: [backend.auth.resources.userPoolClient],
 * });
 */
import path from 'node:path';
import {
  type ApiDescription,
  describeApi,
  edgeMetricService,
  formatAllowedOrigins,
  hasJobRoutes,
  type OriginRule,
  parseAllowedOrigins,
  type ResolvedProjectConfig,
  writeEdgeEnvironment,
} from '@gatehouse/contract';
import { Duration, Validations } from 'aws-cdk-lib';
import type { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Grant, type IGrantable, type IPrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type Code,
  type FunctionProps,
  type IFunction,
  Function as LambdaFunction,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type CoreFunction, createCoreFunctions, invokeStatement } from './core-functions';
import { checkDeadlines } from './deadlines';
import { GatehouseConfigError } from './errors';
import { type GatehouseLogLevel, loggingProps } from './function-logging';
import { FunctionRole } from './function-role';
import { GatehouseAuth } from './gatehouse-auth';
import { GatehouseJobs, type JobOptionsProps } from './gatehouse-jobs';
import { GatehouseHttpApi, type Throttling } from './http-api';
import { type NewUserPoolOptions, resolveIdentity } from './identity';
import { acknowledgeRuntime, BUNDLE_HANDLER, bundledCode } from './lambda-code';
import { type AlarmThresholds, GatehouseMonitoring } from './monitoring';
import { nagResourceFinding } from './nag-finding';
import { createRouteAuthorizer } from './route-authorizer';

export interface GatehouseApiProps {
  /**
   * The project config (`resolveProjectConfig(defineConfig({ routes, cores, … }))`): one API route
   * per route, one core per name the routes use, and the defaults of auth, origins, token use,
   * groups, body limit and core deadline. Props below override those defaults.
   */
  readonly project: ResolvedProjectConfig;
  /**
   * The project's `gatehouse.config.ts`. The cores' `code` folders are relative to its folder.
   * @default none: every new core's `code` must then be an absolute path
   */
  readonly configFile?: string;
  /**
   * Origins of the web app (exact origins or `https://*`-style scheme prefixes). `*` is refused.
   * @default the project's `origins`; one of the two must name at least one origin
   */
  readonly allowedOrigins?: string | readonly string[];
  /**
   * Who admits callers.
   * @default from the project's `auth`, else `GatehouseAuth.cognito()`
   */
  readonly auth?: GatehouseAuth;
  /**
   * The user pool whose tokens the API accepts, in the modes that read one (cognito, Lambda email
   * allow-list). Give its app clients too.
   * @default a new pool with one web client (SRP sign-in, closed sign-up), only in those modes
   */
  readonly userPool?: IUserPool;
  /**
   * App clients whose tokens the API accepts (their ids are the JWT audiences). Required with `userPool`.
   * @default the new pool's web client
   */
  readonly userPoolClients?: readonly IUserPoolClient[];
  /**
   * Settings of the pool created when none is passed in.
   * @default closed sign-up, retained (with its client) on destroy
   */
  readonly newUserPool?: NewUserPoolOptions;
  /**
   * Core functions by the names the routes use, instead of the config's `code` or `existing`.
   * @default every core is built from the project config
   */
  readonly cores?: Readonly<Record<string, IFunction>>;
  /**
   * A core in another account only works once its own resource policy lets the edge's role invoke
   * it, which this stack cannot write. Set to acknowledge that you have added it.
   * @default false: a core in another account is refused at synth
   */
  readonly acknowledgeCrossAccountCores?: boolean;
  /**
   * The edge's code, e.g. the per-project build: `await edgeCodeFromBuild(buildEdgeBundle, { configFile })`.
   * @default this repository's packages/edge, bundled at synth
   */
  readonly edgeCode?: Code;
  /**
   * Escape hatch: props merged over the edge function's (environment variables are merged too).
   * @default none
   */
  readonly edgeFunctionProps?: Partial<FunctionProps>;
  /**
   * Escape hatch: props merged over every new core function's (e.g. `architecture`, `layers`, `vpc`).
   * @default none
   */
  readonly coreFunctionProps?: Partial<FunctionProps>;
  /**
   * Opt-in: principals (your developers' SSO role, an IAM user) that may assume each new core's
   * execution role, so `credentials: { assumeRole: 'deployed' }` runs the core locally with exactly
   * its deployed permissions. The roles then get fixed names, `<project>-<core>-core`.
   * @default none: only Lambda may assume a core's role
   */
  readonly developerAccess?: readonly IPrincipal[];
  /** @default 256 */
  readonly edgeMemorySize?: number;
  /**
   * Must stay below the API's 30 s integration timeout.
   * @default Duration.seconds(10)
   */
  readonly edgeTimeout?: Duration;
  /**
   * Concurrent executions reserved for the edge: it can neither starve the account's other
   * functions nor be starved by them. An account's unreserved concurrency may not drop below 100,
   * so new accounts with a low quota need `'none'`.
   * @default the throttling burst limit (100)
   */
  readonly edgeReservedConcurrency?: number | 'none';
  /**
   * How long the edge waits for a core; must end at least 1 s before `edgeTimeout`.
   * @default the project's `deadlines.coreTimeoutMs` (8 s)
   */
  readonly coreTimeout?: Duration;
  /** @default the project's `tokenUse` ('id') */
  readonly tokenUse?: 'id' | 'access';
  /** Groups every caller must belong to (any of them). @default the project's `requiredGroups` */
  readonly requiredGroups?: readonly string[];
  /** Largest request body the edge reads. @default the project's `limits.maxBodyBytes` (256 KiB) */
  readonly maxBodyBytes?: number;
  /** @default the project's `stage` ('prod') */
  readonly stageName?: string;
  /** @default 50 requests/s, burst 100 */
  readonly throttling?: Throttling;
  /** Retention of access logs and function logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * X-Ray active tracing on every function gatehouse creates; the edge forwards its trace header to
   * the core, so one trace shows both.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Ship source maps with the Node bundles and turn on `--enable-source-maps`, for readable stack
   * traces — at a cold-start cost (docs/DEPLOY.md).
   * @default false
   */
  readonly sourceMaps?: boolean;
  /** @default no notifications */
  readonly alarmTopic?: ITopic;
  /** @default see `AlarmThresholds` */
  readonly alarmThresholds?: AlarmThresholds;
  /** The edge's log level. @default 'info' */
  readonly logLevel?: GatehouseLogLevel;
  /**
   * Settings of what job routes deploy (the jobs table, the runner, their alarms); used only when
   * the project has job routes.
   * @default point-in-time recovery off, AWS-owned key, alarms at 1 failed job and 5 minutes queued
   */
  readonly jobs?: JobOptionsProps;
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const DEFAULT_THROTTLING: Throttling = { rateLimit: 50, burstLimit: 100 };

export class GatehouseApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** Stage base URL without a trailing slash — `WebConfig.apiUrl`. */
  readonly apiUrl: string;
  /** The first route's URL, stage included, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod/inference`. */
  readonly routeUrl: string;
  readonly stageName: string;
  readonly edgeFunction: LambdaFunction;
  readonly edgeRole: IRole;
  /** Each core by name, as the edge invokes it. */
  readonly cores: Readonly<Record<string, IFunction>>;
  /** In the modes that read a Cognito token. */
  readonly userPool?: IUserPool;
  readonly userPoolClient?: IUserPoolClient;
  /** Region of the user pool, when there is one. */
  readonly userPoolRegion?: string;
  /** The Lambda authorizer, with `GatehouseAuth.lambdaEmailAllowList` or `.lambdaApiKeys`. */
  readonly authorizerFunction?: LambdaFunction;
  readonly auth: GatehouseAuth;
  readonly description: ApiDescription;
  readonly monitoring: GatehouseMonitoring;
  /** The jobs table, runner and alarms, when the project has job routes. */
  readonly jobs?: GatehouseJobs;

  constructor(scope: Construct, id: string, props: GatehouseApiProps) {
    super(scope, id);
    const project = props.project;
    const stageName = props.stageName ?? project.stage;
    if (!STAGE_NAME.test(stageName)) {
      throw new GatehouseConfigError(
        `stageName "${stageName}" is not a stage name (letters, digits, - and _; "$default" is not supported)`,
        this,
      );
    }
    this.description = describeApi({ ...project, stage: stageName });
    const origins = parseOrigins(this, props.allowedOrigins ?? project.origins);
    const deadlines = checkDeadlines(
      this,
      props.edgeTimeout,
      props.coreTimeout ?? Duration.millis(project.coreTimeoutMs),
    );
    const edgeMemorySize = props.edgeMemorySize ?? 256;
    if (!Number.isInteger(edgeMemorySize) || edgeMemorySize < 128 || edgeMemorySize > 10_240) {
      throw new GatehouseConfigError(
        `edgeMemorySize must be a whole number of MB from 128 to 10240 (got ${edgeMemorySize})`,
        this,
      );
    }
    const throttling = props.throttling ?? DEFAULT_THROTTLING;
    const reserved = props.edgeReservedConcurrency ?? throttling.burstLimit;
    if (reserved !== 'none' && (!Number.isInteger(reserved) || reserved < 1)) {
      throw new GatehouseConfigError(
        `edgeReservedConcurrency must be a whole number ≥ 1, or 'none' (got ${reserved})`,
        this,
      );
    }
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const tracing = props.tracing ?? false;
    const sourceMaps = props.sourceMaps ?? false;
    this.auth = props.auth ?? GatehouseAuth.fromOption(project.auth);
    this.stageName = stageName;

    const identity = resolveIdentity(this, props, this.auth);
    const usedCores = new Set(project.routes.map((r) => r.core));
    const cores = createCoreFunctions(this, {
      cores: project.cores.filter((c) => usedCores.has(c.name)),
      baseDir: props.configFile !== undefined ? path.dirname(path.resolve(props.configFile)) : undefined,
      given: props.cores ?? {},
      coreDeadlineMs: deadlines.coreTimeoutMs,
      jobTimeoutSeconds: longestJobs(project),
      logRetention,
      tracing,
      sourceMaps,
      acknowledgeCrossAccount: props.acknowledgeCrossAccountCores ?? false,
      functionProps: props.coreFunctionProps ?? {},
      projectName: project.name,
      developerAccess: props.developerAccess ?? [],
    });
    // A project given without its file can only be bundled from `edgeCode` (bundling says so if
    // neither is there).
    const configFile = props.configFile;
    this.cores = Object.fromEntries(cores.map((c) => [c.name, c.fn]));

    const edgeRole = new FunctionRole(this, 'EdgeRole', {
      description: 'gatehouse edge',
      retention: logRetention,
      tracing,
    });
    this.edgeRole = edgeRole.role;
    edgeRole.role.addToPrincipalPolicy(invokeStatement(cores.map((c) => c.functionArn)));
    Validations.of(edgeRole.role).acknowledge(
      ...cores.map((c) => ({
        id: `AwsSolutions-IAM5[${nagResourceFinding(this, `${c.functionArn}:*`)}]`,
        reason:
          `The edge may invoke the versions and aliases of core "${c.name}" (<core ARN>:*), so a core published ` +
          'behind an alias keeps working; no other function matches.',
      })),
    );
    const jobRoutes = hasJobRoutes(project.routes);
    this.jobs = jobRoutes
      ? new GatehouseJobs(this, 'Jobs', {
          ...props.jobs,
          project,
          cores,
          edgeRole: edgeRole.role,
          logRetention,
          tracing,
          sourceMaps,
          alarmTopic: props.alarmTopic,
        })
      : undefined;
    const extra = props.edgeFunctionProps ?? {};
    const logLevel = props.logLevel ?? 'info';
    this.edgeFunction = new LambdaFunction(this, 'Edge', {
      description: 'gatehouse edge: checks the request and invokes the route’s core',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      code: props.edgeCode ?? bundledCode('edge', { sourceMaps, configFile, project: props.project }),
      handler: BUNDLE_HANDLER,
      memorySize: edgeMemorySize,
      timeout: deadlines.edgeTimeout,
      role: edgeRole.role,
      logGroup: edgeRole.logGroup,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      reservedConcurrentExecutions: reserved === 'none' ? undefined : reserved,
      ...loggingProps(logLevel),
      ...extra,
      environment: {
        ...edgeEnvironment(this, props, project, {
          origins,
          cores,
          coreTimeoutMs: deadlines.coreTimeoutMs,
          logLevel,
          tracing,
        }),
        ...this.jobs?.edgeEnvironment(),
        ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...extra.environment,
      },
    });
    acknowledgeRuntime(this.edgeFunction);

    const auth = createRouteAuthorizer(this, this.auth, {
      identity,
      authorizerName: this.description.authorizer.name,
      identitySource: this.description.authorizer.identitySource,
      tokenUse: props.tokenUse ?? project.tokenUse,
      logRetention,
      tracing,
      sourceMaps,
    });
    this.authorizerFunction = auth.fn;
    const http = new GatehouseHttpApi(this, 'Http', {
      description: this.description,
      authMode: this.auth.mode,
      origins,
      authorizer: auth.authorizer,
      extraAllowHeaders: auth.extraAllowHeaders,
      publicReason:
        auth.mode === 'none'
          ? 'auth "none" was chosen and acknowledged (acknowledgePublic) by the deployer'
          : undefined,
      edge: this.edgeFunction,
      stageName,
      throttling,
      logRetention,
    });
    this.httpApi = http.api;
    this.stage = http.stage;
    this.monitoring = new GatehouseMonitoring(this, 'Monitoring', {
      stage: http.stage,
      edge: this.edgeFunction,
      cores: cores.filter((c) => c.sameAccount),
      authorizer: auth.fn,
      edgeMetricService: edgeMetricService(project.name),
      alarmTopic: props.alarmTopic,
      thresholds: props.alarmThresholds,
    });

    this.apiUrl = `${this.httpApi.apiEndpoint}/${stageName}`;
    this.routeUrl = `${this.apiUrl}${this.description.routes[0]?.path ?? ''}`;
    this.userPool = identity?.userPool;
    this.userPoolClient = identity?.clients[0];
    this.userPoolRegion = identity?.region;
  }

  /**
   * With `GatehouseAuth.iam()`: lets a principal (an identity pool's authenticated role, a service's
   * role) call this API's routes on this stage — `execute-api:Invoke` on exactly those.
   */
  grantInvoke(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: this.description.routes.map((r) =>
        this.httpApi.arnForExecuteApi(
          r.method === 'ANY' ? '*' : r.method,
          r.path.replace(/\{[^}]+\}/g, '*'),
          this.stageName,
        ),
      ),
    });
  }
}

/** Each job route's core → the longest timeout of the job routes it serves. */
function longestJobs(project: ResolvedProjectConfig): Map<string, number> {
  const longest = new Map<string, number>();
  for (const route of project.routes) {
    if (route.job) longest.set(route.core, Math.max(longest.get(route.core) ?? 0, route.job.timeoutSeconds));
  }
  return longest;
}

function parseOrigins(scope: Construct, list: string | readonly string[]): OriginRule[] {
  try {
    return parseAllowedOrigins(list);
  } catch (error) {
    throw new GatehouseConfigError(`allowedOrigins: ${(error as Error).message}`, scope, { cause: error });
  }
}

/**
 * The edge's configuration: `CORE_TARGETS` (`name=arn,…`) names each core's function; the route
 * table itself is bundled.
 */
function edgeEnvironment(
  scope: Construct,
  props: GatehouseApiProps,
  project: ResolvedProjectConfig,
  facts: {
    origins: readonly OriginRule[];
    cores: readonly CoreFunction[];
    coreTimeoutMs: number;
    logLevel: GatehouseLogLevel;
    tracing: boolean;
  },
): Record<string, string> {
  const authMode = (props.auth ?? GatehouseAuth.fromOption(project.auth)).mode;
  const requiredGroups = props.requiredGroups ?? project.requiredGroups;
  if (requiredGroups.length > 0 && (authMode === 'iam' || authMode === 'none')) {
    throw new GatehouseConfigError(
      `requiredGroups cannot be used with auth "${authMode}": such callers have no groups` +
        (authMode === 'iam' ? ' (grant access with IAM policies instead, e.g. grantInvoke)' : ''),
      scope,
    );
  }
  return writeEdgeEnvironment({
    coreTargets: Object.fromEntries(facts.cores.map((c) => [c.name, c.functionArn])),
    authMode,
    allowedOrigins: [formatAllowedOrigins(facts.origins)],
    requiredTokenUse: props.tokenUse ?? project.tokenUse,
    coreTimeoutMs: facts.coreTimeoutMs,
    maxBodyBytes: props.maxBodyBytes ?? project.maxBodyBytes,
    requiredGroups,
    logLevel: facts.logLevel,
    forwardTraceHeader: facts.tracing,
  });
}
