/**
 * `GatehouseApi`: the whole pattern as one construct — a Cognito-authorized HTTP API whose route
 * runs the edge Lambda, which invokes the core Lambda; least-privilege roles, access logs, alarms
 * and a dashboard around them. Drop it into any stack: the gatehouse app's own, or an Amplify Gen 2
 * backend's `backend.createStack('Gatehouse')`.
 */
import { API, formatAllowedOrigins, type OriginRule, parseAllowedOrigins } from '@gatehouse/contract';
import { Duration, Validations } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type CoreSource, createCoreTarget, invokeStatement } from './core-target';
import { checkDeadlines } from './deadlines';
import { GatehouseConfigError } from './errors';
import { FunctionRole } from './function-role';
import { GatehouseHttpApi, type Throttling } from './http-api';
import { GatehouseIdentity, type UserPoolSource } from './identity';
import { acknowledgeRuntime, BUNDLE_HANDLER, bundledCode } from './lambda-code';
import { type AlarmThresholds, GatehouseMonitoring } from './monitoring';
import { nagResourceFinding } from './nag-finding';
import { type AuthOption, createRouteAuthorizer } from './route-authorizer';

export interface GatehouseApiProps {
  /** Origins of the web app (exact origins or `https://*`-style scheme prefixes). `*` is refused. */
  allowedOrigins: string | readonly string[];
  /** Default: a new user pool with one web client (SRP sign-in). */
  userPool?: UserPoolSource;
  /** Who admits callers: Cognito JWT (default), a Lambda authorizer, IAM, or nobody (public). */
  auth?: AuthOption;
  /** Default: the sample core from packages/core. */
  core?: CoreSource;
  /** Default 256 MB. */
  edgeMemorySize?: number;
  /** Default 10 s; must stay below the 30 s integration timeout. */
  edgeTimeout?: Duration;
  /** How long the edge waits for the core. Default 8 s; must end at least 1 s before `edgeTimeout`. */
  coreTimeout?: Duration;
  /** Token the edge accepts: the ID token (default, carries email and groups) or the access token. */
  tokenUse?: 'id' | 'access';
  /** Cognito groups a caller must belong to (any of them); default: none required. */
  requiredGroups?: readonly string[];
  /** Largest request body the edge reads. Default: the edge's own default. */
  maxBodyBytes?: number;
  /** Default `API.stage` from the contract (`prod`). */
  stageName?: string;
  /** Default 50 requests/s, burst 100. */
  throttling?: Throttling;
  /** Retention of access logs and function logs. Default one month. */
  logRetention?: RetentionDays;
  /** X-Ray active tracing on both functions. Default off. */
  tracing?: boolean;
  alarmTopic?: ITopic;
  alarmThresholds?: AlarmThresholds;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

export class GatehouseApi extends Construct {
  /** `POST` here: the route URL with its stage, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod/inference`. */
  readonly routeUrl: string;
  /** Stage base URL without a trailing slash — `WebConfig.apiUrl`. */
  readonly apiUrl: string;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** Region of the user pool. */
  readonly region: string;
  readonly stageName: string;
  readonly edge: LambdaFunction;
  /** The Lambda authorizer, in `auth: { mode: 'lambda' }`. */
  readonly authorizerFunction?: LambdaFunction;
  readonly httpApi: GatehouseHttpApi;
  readonly monitoring: GatehouseMonitoring;

  constructor(scope: Construct, id: string, props: GatehouseApiProps) {
    super(scope, id);
    const origins = parseOrigins(props.allowedOrigins);
    const deadlines = checkDeadlines(props.edgeTimeout, props.coreTimeout);
    const stageName = props.stageName ?? API.stage;
    if (!STAGE_NAME.test(stageName)) {
      throw new GatehouseConfigError(
        `stageName "${stageName}" is not a stage name (letters, digits, - and _; "$default" is not supported)`,
      );
    }
    const edgeMemorySize = props.edgeMemorySize ?? 256;
    if (!Number.isInteger(edgeMemorySize) || edgeMemorySize < 128 || edgeMemorySize > 10_240) {
      throw new GatehouseConfigError(
        `edgeMemorySize must be a whole number of MB from 128 to 10240 (got ${edgeMemorySize})`,
      );
    }
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const tracing = props.tracing ?? false;

    const { identity } = new GatehouseIdentity(this, 'Identity', props.userPool ?? { kind: 'new' });
    const firstClient = identity.clients[0];
    if (!firstClient) throw new GatehouseConfigError('the user pool needs at least one app client');

    const core = createCoreTarget(this, props.core ?? { kind: 'sample' }, {
      timeout: Duration.millis(deadlines.coreTimeoutMs),
      logRetention,
      tracing,
    });

    const edgeRole = new FunctionRole(this, 'EdgeRole', {
      description: 'gatehouse edge',
      retention: logRetention,
      tracing,
    });
    edgeRole.role.addToPrincipalPolicy(invokeStatement(core.functionArn));
    Validations.of(edgeRole.role).acknowledge({
      id: `AwsSolutions-IAM5[${nagResourceFinding(this, `${core.functionArn}:*`)}]`,
      reason:
        'The edge may invoke the versions and aliases of the one core function (<core ARN>:*), so a core ' +
        'published behind an alias keeps working; no other function matches.',
    });
    this.edge = new LambdaFunction(this, 'Edge', {
      description: 'gatehouse edge: checks the request and invokes the core',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      code: bundledCode('edge'),
      handler: BUNDLE_HANDLER,
      memorySize: edgeMemorySize,
      timeout: deadlines.edgeTimeout,
      role: edgeRole.role,
      logGroup: edgeRole.logGroup,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      environment: edgeEnvironment(props, origins, core.functionArn, deadlines.coreTimeoutMs),
    });
    acknowledgeRuntime(this.edge);

    const auth = createRouteAuthorizer(this, props.auth ?? { mode: 'cognito' }, {
      identity,
      authorizerName: API.authorizer.name,
      identitySource: API.authorizer.identitySource,
      tokenUse: props.tokenUse ?? 'id',
      logRetention,
      tracing,
    });
    this.authorizerFunction = auth.fn;
    this.httpApi = new GatehouseHttpApi(this, 'Http', {
      origins,
      authorizer: auth.authorizer,
      extraAllowHeaders: auth.extraAllowHeaders,
      publicReason:
        auth.mode === 'none'
          ? 'auth "none" was chosen and acknowledged (acknowledgePublic) by the deployer'
          : undefined,
      edge: this.edge,
      stageName,
      throttling: props.throttling ?? { rateLimit: 50, burstLimit: 100 },
      logRetention,
    });
    this.monitoring = new GatehouseMonitoring(this, 'Monitoring', {
      stage: this.httpApi.stage,
      edge: this.edge,
      core: core.fn,
      alarmTopic: props.alarmTopic,
      thresholds: props.alarmThresholds,
    });

    this.apiUrl = `${this.httpApi.api.apiEndpoint}/${stageName}`;
    this.routeUrl = `${this.apiUrl}${API.routes[0]?.path ?? ''}`;
    this.userPool = identity.userPool;
    this.userPoolClient = firstClient;
    this.region = identity.region;
    this.stageName = stageName;
  }

  /**
   * With `auth: { mode: 'iam' }`: lets a principal (an identity pool's authenticated role, a service's
   * role) call the contract's routes on this stage — `execute-api:Invoke` on exactly those.
   */
  grantInvoke(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: API.routes.map((r) => this.httpApi.api.arnForExecuteApi(r.method, r.path, this.stageName)),
    });
  }
}

function parseOrigins(list: string | readonly string[]): OriginRule[] {
  try {
    return parseAllowedOrigins(list);
  } catch (error) {
    throw new GatehouseConfigError(`allowedOrigins: ${(error as Error).message}`);
  }
}

function edgeEnvironment(
  props: GatehouseApiProps,
  origins: readonly OriginRule[],
  coreArn: string,
  coreTimeoutMs: number,
): Record<string, string> {
  const authMode = props.auth?.mode ?? 'cognito';
  const requiredGroups = props.requiredGroups ?? [];
  if (requiredGroups.length > 0 && (authMode === 'iam' || authMode === 'none')) {
    throw new GatehouseConfigError(
      `requiredGroups cannot be used with auth "${authMode}": such callers have no groups` +
        (authMode === 'iam' ? ' (grant access with IAM policies instead, e.g. grantInvoke)' : ''),
    );
  }
  const env: Record<string, string> = {
    TARGET_LAMBDA_NAME: coreArn,
    AUTH_MODE: authMode,
    ALLOWED_ORIGINS: formatAllowedOrigins(origins),
    REQUIRED_TOKEN_USE: props.tokenUse ?? 'id',
    CORE_TIMEOUT_MS: String(coreTimeoutMs),
    LOG_LEVEL: props.logLevel ?? 'info',
  };
  if (requiredGroups.length > 0) env.REQUIRED_GROUPS = requiredGroups.join(',');
  if (props.maxBodyBytes !== undefined) env.MAX_BODY_BYTES = String(props.maxBodyBytes);
  return env;
}
