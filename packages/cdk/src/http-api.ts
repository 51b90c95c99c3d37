/**
 * The HTTP API built from an `ApiDescription` — the contract's `describeApi(project)`: one route per
 * route of the project config (method + path, `{proxy+}` included) on the one edge, which of them
 * are protected, CORS and the payload format — the same object the local gateway emulates, so what
 * runs on a laptop is what is deployed. Only what differs per deployment (origins, the authorizer,
 * stage name, throttling) arrives as props.
 */
import { type ApiDescription, type AuthMode, formatAllowedOrigins, type OriginRule } from '@gatehouse/contract';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { accessLogFormat } from './access-log';

export interface Throttling {
  /** Steady-state requests per second across the stage. */
  rateLimit: number;
  /** Requests allowed in a burst above the rate. */
  burstLimit: number;
}

export interface GatehouseHttpApiProps {
  description: ApiDescription;
  /** Who admits callers; picks the access log's caller variable. */
  authMode: AuthMode;
  origins: readonly OriginRule[];
  /** Protects the routes the contract marks `jwt` (protected). */
  authorizer: IHttpRouteAuthorizer;
  /** Headers this auth mode needs the browser to send, added to the contract's CORS list. */
  extraAllowHeaders: readonly string[];
  /** Set when the deployer chose a public API: the reason recorded against cdk-nag's APIG4. */
  publicReason?: string;
  edge: IFunction;
  stageName: string;
  throttling: Throttling;
  logRetention: RetentionDays;
}

export class GatehouseHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: GatehouseHttpApiProps) {
    super(scope, id);
    const { description } = props;
    this.api = new HttpApi(this, 'Api', {
      apiName: description.name,
      description: 'gatehouse: Cognito-authorized HTTP API → edge Lambda → core Lambda',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: formatAllowedOrigins(props.origins).split(','),
        allowMethods: description.cors.allowMethods.map(toCorsMethod),
        allowHeaders: [...new Set([...description.cors.allowHeaders, ...props.extraAllowHeaders])],
        exposeHeaders: [...description.cors.exposeHeaders],
        maxAge: Duration.seconds(description.cors.maxAgeSeconds),
        allowCredentials: description.cors.allowCredentials,
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: props.stageName,
      autoDeploy: true,
      throttle: props.throttling,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat(props.authMode),
      },
    });

    const integration = new HttpLambdaIntegration('Edge', props.edge, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      timeout: integrationTimeout(description),
    });
    for (const route of description.routes) {
      const routes = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: route.authorization === 'jwt' ? props.authorizer : new HttpNoneAuthorizer(),
        authorizationScopes: route.scopes.length > 0 ? [...route.scopes] : undefined,
      });
      const publicReason =
        route.authorization === 'none'
          ? `${route.method} ${route.path} is declared public in the API description`
          : props.publicReason;
      if (publicReason) {
        for (const r of routes) Validations.of(r).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicReason });
      }
    }
  }
}

/**
 * HTTP APIs default to (and cap at) a 30 s integration timeout, but CDK only accepts up to 29 s when
 * one is written out. The contract's 30 s is therefore deployed by leaving the default in place;
 * anything shorter is written explicitly.
 */
const HTTP_API_DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;

function integrationTimeout(description: ApiDescription): Duration | undefined {
  if (description.integrationTimeoutMs > HTTP_API_DEFAULT_INTEGRATION_TIMEOUT_MS) {
    throw new Error(`integrationTimeoutMs ${description.integrationTimeoutMs} exceeds the HTTP API maximum of 30000`);
  }
  return description.integrationTimeoutMs === HTTP_API_DEFAULT_INTEGRATION_TIMEOUT_MS
    ? undefined
    : Duration.millis(description.integrationTimeoutMs);
}

function toCorsMethod(method: string): CorsHttpMethod {
  const value = (CorsHttpMethod as Record<string, CorsHttpMethod>)[method.toUpperCase()];
  if (!value) throw new Error(`CORS method ${method} in the API description is not an HTTP API CORS method`);
  return value;
}
