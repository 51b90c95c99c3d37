/**
 * POST without a token, as a signed-out browser would. On a healthy API the JWT authorizer answers
 * 401 before the edge runs, and — for the browser to read that 401 rather than report a CORS error —
 * with the CORS headers for the origin. A 404 is API Gateway's answer both for an unknown stage and
 * for an unknown route; the URL is compared with the contract, and the contract's own URL is probed,
 * to say which.
 */
import { API, routeKey } from '@gatehouse/contract';
import type { CheckResult } from './check-result';
import { gatewayMessage, type ProbeOutcome, type ProbeResponse, probe, problemOf } from './http-probe';
import { unreachableFix } from './preflight-check';
import { contractRouteUrl, type RouteUrl } from './route-url';

export const SAMPLE_BODY = { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' };

export function postInference(url: string, headers: Record<string, string>, timeoutMs: number): Promise<ProbeOutcome> {
  return probe(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(SAMPLE_BODY) },
    timeoutMs,
  );
}

export async function anonymousCallChecks(
  route: RouteUrl,
  origin: string | undefined,
  timeoutMs: number,
): Promise<CheckResult[]> {
  const outcome = await postInference(route.url.href, origin ? { origin } : {}, timeoutMs);
  if (outcome.kind === 'network-error') {
    return [
      {
        id: 'route',
        title: 'Route and stage',
        status: 'fail',
        summary: `no answer: ${outcome.message}`,
        fix: unreachableFix,
      },
    ];
  }
  if (outcome.status === 404) return [await diagnoseNotFound(route, timeoutMs)];
  return [routeFound(route, outcome), readableRefusal(outcome, origin)];
}

function routeFound(route: RouteUrl, response: ProbeResponse): CheckResult {
  const where = `${route.routePath} on stage ${route.stage === undefined ? '$default' : `"${route.stage}"`}`;
  if (response.status >= 200 && response.status < 300) {
    return {
      id: 'route',
      title: 'Route and stage',
      status: 'fail',
      summary: `${where} answered ${response.status} without a token: the route is not protected`,
      fix: 'attach the JWT authorizer to the route (the gatehouse construct does for every route marked "jwt" in the contract)',
    };
  }
  return {
    id: 'route',
    title: 'Route and stage',
    status: 'pass',
    summary: `${where} exists (answered ${response.status} without a token)`,
  };
}

function readableRefusal(response: ProbeResponse, origin: string | undefined): CheckResult {
  const title = 'POST without a token';
  const problem = problemOf(response);
  if (response.status !== 401) {
    return {
      id: 'anonymous-call',
      title,
      status: response.status >= 200 && response.status < 300 ? 'fail' : 'warn',
      summary: `expected 401 from the authorizer, got ${response.status}${problem ? ` (${problem.code})` : ''}`,
      details: [response.body.slice(0, 300)],
      fix: 'a Cognito-protected route answers 401 to a call without a token; check the route’s authorizer',
    };
  }
  if (problem && gatewayMessage(response) === undefined) {
    return {
      id: 'anonymous-call',
      title,
      status: 'warn',
      summary: `the 401 came from the edge (${problem.code}), not from API Gateway's authorizer: the edge ran for an unauthenticated call`,
      fix: 'attach the JWT authorizer to the route so unauthenticated calls never reach (or bill) the edge',
    };
  }
  if (!origin) {
    return {
      id: 'anonymous-call',
      title,
      status: 'pass',
      summary: '401 from the authorizer (pass --origin to check the browser can read it)',
    };
  }
  const allowOrigin = response.headers.get('access-control-allow-origin');
  if (allowOrigin !== origin && allowOrigin !== '*') {
    return {
      id: 'anonymous-call',
      title,
      status: 'fail',
      summary: `401, but without access-control-allow-origin for ${origin}: the browser reports a CORS error instead of "sign in"`,
      details: [`access-control-allow-origin: ${allowOrigin ?? '(absent)'}`],
      fix: `allow "${origin}" in the API's CORS configuration (allowedOrigins) — API Gateway then adds the headers to its own 401s too`,
    };
  }
  return {
    id: 'anonymous-call',
    title,
    status: 'pass',
    summary: '401 from the authorizer, readable by the browser (CORS headers present)',
  };
}

async function diagnoseNotFound(route: RouteUrl, timeoutMs: number): Promise<CheckResult> {
  const base = { id: 'route', title: 'Route and stage', status: 'fail' as const };
  const known = API.routes.map(routeKey).join(', ');
  if (!route.knownRoute) {
    const suggestion = contractRouteUrl(route.base, route.stage ?? API.stage, API.routes[0]?.path ?? '/');
    return {
      ...base,
      summary: `404: the path "${route.routePath}" is not a gatehouse route (the API has ${known})`,
      fix: `call ${suggestion}`,
    };
  }
  const candidate = contractRouteUrl(route.base, API.stage, route.routePath);
  const alternative = candidate !== route.url.href ? await postInference(candidate, {}, timeoutMs) : undefined;
  const stageText = route.stage === undefined ? 'the URL has no stage' : `stage "${route.stage}" does not exist`;
  if (alternative?.kind === 'response' && alternative.status !== 404) {
    return {
      ...base,
      summary: `404: ${stageText}; the route answers on stage "${API.stage}" (${alternative.status} at ${candidate})`,
      fix: `use ${candidate} — the stage is part of the URL (WebConfig.apiUrl ends with /${API.stage})`,
    };
  }
  return {
    ...base,
    summary: `404: ${stageText}, and stage "${API.stage}" does not answer either`,
    fix:
      'check the API id and region in the URL against the stack output RouteUrl (npm run deploy prints it), ' +
      'and the stage name if you deployed with stageName',
  };
}
