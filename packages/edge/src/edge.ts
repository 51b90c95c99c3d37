/**
 * The edge's request pipeline, built from its configuration and invoke client so tests can build
 * one per case: CORS preflight → origin → method → identity → body → enrich → invoke the core →
 * map the outcome. It never throws: every path ends in an HTTP answer and one log line.
 */
import { type FieldError, hasPathTemplates, type ProblemCode } from '@gatehouse/contract';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type { EdgeConfig } from './config';
import { originAllowed } from './config';
import { type HeaderMap, isPreflight, preflightHeaders, responseCorsHeaders } from './cors';
import { corePayload } from './enrich';
import { text } from './event-values';
import { type AuthorizerContext, identify, requireGroup } from './identity';
import { readInput } from './input';
import { invokeCore } from './invoke-core';
import type { JobAnswer, JobRoutes } from './jobs/job-routes';
import type { LambdaInvokeClient } from './lambda-invoke-client';
import { errorFields, type LogFields, type Logger } from './logger';
import { emfFields } from './metrics';
import { answerFor } from './outcomes';
import { Rejection } from './rejection';
import { type EdgeResult, emptyResult, fitsLambdaResponse, jsonResult, problemResult, type Timings } from './respond';
import { type EdgeRoute, type PathMatcher, selectRoute } from './routes';

export type EdgeContext = Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>;
export type EdgeHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: EdgeContext) => Promise<EdgeResult>;

export interface EdgeDependencies {
  config: EdgeConfig;
  /** The project's routes, bundled into the edge with their schemas. */
  routes: readonly EdgeRoute[];
  /** What a CORS preflight allows: the API's methods, resolved with the route table at build time. */
  allowMethods: readonly string[];
  /**
   * Matches a request no route key names (a Function URL) against routes with `{parameters}`: the
   * contract's `matchRoutePath`, required when some route has one (`hasPathTemplates`).
   */
  matchPath?: PathMatcher;
  client: Pick<LambdaInvokeClient, 'invoke'>;
  logger: Logger;
  /** The `Service` metric dimension and log field. */
  service: string;
  /**
   * Job routes' submit and read (`@gatehouse/edge/jobs`): only a project with job routes has them,
   * so the other projects' bundles carry none of their code.
   */
  jobs?: Pick<JobRoutes, 'routeKey' | 'readRequest' | 'read' | 'submitRequest'>;
}

type Step =
  | { kind: 'preflight'; origin: string }
  | { kind: 'json'; value: unknown; status?: number; headers?: HeaderMap }
  | { kind: 'problem'; code: ProblemCode; detail: string; errors?: FieldError[]; headers?: HeaderMap };

const TOO_LARGE_DETAIL = "The service's answer is too large to return: over 6 MB once encoded.";

interface Progress {
  coreMs: number | undefined;
  log: LogFields;
}

export function createEdgeHandler(deps: EdgeDependencies): EdgeHandler {
  if (!deps.matchPath && hasPathTemplates(deps.routes)) {
    throw new Error('routes with {parameters} need a path matcher (matchRoutePath) to be served');
  }
  // Once per container: a preflight allows exactly the methods the project's routes serve.
  const cors = { authMode: deps.config.authMode, allowMethods: deps.allowMethods };
  return async (event, context) => {
    const startedAt = performance.now();
    const requestContext = event?.requestContext;
    const requestId = text(requestContext?.requestId) ?? context.awsRequestId;
    const headers: Readonly<Record<string, string | undefined>> = event?.headers ?? {};
    const origin = text(headers.origin);
    const allowed = originAllowed(deps.config, origin);
    const progress: Progress = { coreMs: undefined, log: {} };

    let step: Step;
    try {
      step = await run(deps, event, context, requestId, origin, allowed, progress);
    } catch (error) {
      step = stepForError(error, progress);
    }

    const totalMs = performance.now() - startedAt;
    const timings: Timings = { edgeMs: totalMs - (progress.coreMs ?? 0), coreMs: progress.coreMs };
    let result = resultOf(step, requestId, timings, origin, allowed, cors);
    if (!fitsLambdaResponse(result)) {
      progress.log = { ...progress.log, tooLargeAnswer: { code: step.kind === 'problem' ? step.code : 'success' } };
      step = { kind: 'problem', code: 'core_response_too_large', detail: TOO_LARGE_DETAIL };
      result = resultOf(step, requestId, timings, origin, allowed, cors);
    }
    logRequest(deps, requestId, event, result, step.kind === 'problem' ? step.code : 'success', timings, progress);
    return result;
  };
}

/**
 * The deployment and the bundle disagree: a route names a core that `CORE_TARGETS` does not, or is
 * a job route on an edge given no jobs table or runner. The message is for the log.
 */
class MisconfiguredRouteError extends Error {
  override name = 'MisconfiguredRouteError';
}

/** Who owns a job: the caller's stable id within the auth mode (a `sub`, an API key's id, an IAM principal). */
function ownerOf(deps: EdgeDependencies, sub: string): string {
  return `${deps.config.authMode}:${sub}`;
}

function jobStep(answer: JobAnswer): Step {
  return { kind: 'json', value: answer.value, status: answer.status, headers: answer.headers };
}

function stepForError(error: unknown, progress: Progress): Step {
  if (error instanceof Rejection) {
    return { kind: 'problem', code: error.code, detail: error.detail, errors: error.errors, headers: error.headers };
  }
  if (error instanceof MisconfiguredRouteError) {
    progress.log = { ...progress.log, ...errorFields(error) };
    return { kind: 'problem', code: 'misconfigured', detail: 'The API is not set up to answer this route.' };
  }
  progress.log = { ...progress.log, ...errorFields(error) };
  return { kind: 'problem', code: 'internal', detail: 'The API failed to handle this request.' };
}

/** The one line a request costs: what happened, how long it took, and the EMF metrics inside it. */
function logRequest(
  deps: EdgeDependencies,
  requestId: string,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  result: EdgeResult,
  outcome: string,
  timings: Timings,
  progress: Progress,
): void {
  const coreMs = timings.coreMs === undefined ? undefined : round(timings.coreMs);
  const metrics = emfFields({ service: deps.service, outcome, coreLatencyMs: coreMs, timestamp: Date.now() });
  const level = result.statusCode >= 500 ? 'error' : 'info';
  if (!deps.logger.enabled(level)) {
    deps.logger.metrics(metrics);
    return;
  }
  deps.logger[level](requestId, 'request', {
    method: text(event?.requestContext?.http?.method),
    path: text(event?.rawPath),
    status: result.statusCode,
    outcome,
    edgeMs: round(timings.edgeMs),
    coreMs,
    ...progress.log,
    ...metrics,
  });
}

async function run(
  deps: EdgeDependencies,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: EdgeContext,
  requestId: string,
  origin: string | undefined,
  allowed: boolean,
  progress: Progress,
): Promise<Step> {
  const method = text(event?.requestContext?.http?.method) ?? '';
  const headers: Readonly<Record<string, string | undefined>> = event?.headers ?? {};
  if (isPreflight(method, headers) && origin) {
    if (!allowed) throw originRejection();
    return { kind: 'preflight', origin };
  }
  // A browser would refuse to show this answer anyway; refusing before the core runs means a page
  // on a foreign origin cannot make a signed-in user's browser trigger the core's side effects.
  if (origin && !allowed) throw originRejection();
  const { jobs } = deps;
  const jobId = jobs?.readRequest(event, method);
  if (jobs && jobId !== undefined) {
    progress.log = { route: jobs.routeKey };
    const authorizer = (event.requestContext as { authorizer?: AuthorizerContext }).authorizer;
    const identity = identify(authorizer, deps.config);
    return jobStep(await jobs.read(jobId || undefined, ownerOf(deps, identity.sub)));
  }
  const { route, pathParameters } = selectRoute(
    deps.routes,
    {
      routeKey: text(event.routeKey),
      method,
      rawPath: text(event.rawPath) ?? '/',
      stage: text(event.requestContext?.stage),
      pathParameters: event.pathParameters,
    },
    deps.matchPath,
  );
  progress.log = { route: route.key };
  const authorizer = (event.requestContext as { authorizer?: AuthorizerContext }).authorizer;
  const identity = identify(authorizer, deps.config);
  requireGroup(identity, route.groups);
  const target = deps.config.targets.get(route.core);
  if (!target) throw new MisconfiguredRouteError(`CORE_TARGETS names no function for core "${route.core}"`);
  if (route.job && !deps.jobs) {
    throw new MisconfiguredRouteError(
      `route "${route.key}" is a job route but the edge has no job support (JOBS_TABLE, JOB_RUNNER)`,
    );
  }
  const input = await readInput(
    route,
    method,
    { body: event.body, isBase64Encoded: event.isBase64Encoded, contentType: text(headers['content-type']) },
    event.queryStringParameters,
    deps.config.maxBodyBytes,
  );
  const payload = corePayload(route.payload, input, pathParameters, identity, {
    requestId,
    routeKey: route.key,
    sourceIp: text(event.requestContext.http?.sourceIp),
    userAgent: text(event.requestContext.http?.userAgent) ?? text(headers['user-agent']),
    timeEpoch: event.requestContext.timeEpoch,
  });

  if (route.job && deps.jobs) {
    const answer = await deps.jobs.submitRequest(
      { key: route.key, core: route.core, job: route.job },
      JSON.stringify(payload),
      [input, pathParameters],
      ownerOf(deps, identity.sub),
      event,
      requestId,
    );
    progress.log = { ...progress.log, jobId: (answer.value as { jobId?: string }).jobId };
    return jobStep(answer);
  }

  const coreStartedAt = performance.now();
  const report = await invokeCore(JSON.stringify(payload), {
    client: deps.client,
    target,
    coreTimeoutMs: deps.config.coreTimeoutMs,
    remainingTimeMs: context.getRemainingTimeInMillis(),
  });
  progress.coreMs = performance.now() - coreStartedAt;
  progress.log = { ...progress.log, coreAttempts: report.attempts, ...outcomeLog(report.outcome) };
  return answerFor(report.outcome);
}

function resultOf(
  step: Step,
  requestId: string,
  timings: Timings,
  origin: string | undefined,
  allowed: boolean,
  cors: { authMode: EdgeConfig['authMode']; allowMethods: readonly string[] },
): EdgeResult {
  switch (step.kind) {
    case 'preflight':
      return emptyResult(204, requestId, timings, preflightHeaders(step.origin, cors.authMode, cors.allowMethods));
    case 'json':
      return jsonResult(
        step.value,
        requestId,
        timings,
        { ...step.headers, ...responseCorsHeaders(origin, allowed) },
        step.status,
      );
    case 'problem':
      return problemResult(step, requestId, timings, { ...step.headers, ...responseCorsHeaders(origin, allowed) });
  }
}

/** What the log keeps of the core's answer: error types and messages, never its successful payload. */
function outcomeLog(outcome: Parameters<typeof answerFor>[0]): LogFields {
  switch (outcome.kind) {
    case 'success':
      return {};
    case 'bad-response':
      return { coreError: { reason: outcome.reason } };
    case 'function-error':
      return {
        coreError: { errorType: outcome.errorType, errorMessage: outcome.errorMessage, handled: outcome.handled },
      };
    case 'invoke-error':
      return errorFields(outcome.error);
  }
}

function originRejection(): Rejection {
  return new Rejection('origin_not_allowed', 'This API does not accept requests from the page that sent this one.');
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
