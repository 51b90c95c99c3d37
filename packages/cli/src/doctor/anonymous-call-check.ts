/**
 * POST without credentials, as a signed-out browser would. On a healthy protected API the
 * authorizer refuses it before the edge runs — 401 for a missing token or API key, 403 for an
 * unsigned IAM request — and, for the browser to read that refusal rather than report a CORS error,
 * with the CORS headers for the origin. A public API (`none`) answers it from the edge. A 404 is API
 * Gateway's answer both for an unknown stage and for an unknown route; the URL is compared with the
 * contract, and the contract's own URL is probed, to say which.
 */
import { routeKey } from '@gatehouse/contract';
import { allowOriginAdvice, unreachableAdvice } from './advice';
import type { CheckResult } from './check-result';
import { type DoctorTarget, devFlags } from './doctor-target';
import { gatewayMessage, type ProbeResponse, problemOf } from './http-probe';
import { postRoute } from './route-request';
import { contractRouteUrl, type RouteUrl } from './route-url';

export interface AnonymousCall {
  route: RouteUrl;
  origin: string | undefined;
  target: DoctorTarget;
  body: string;
  timeoutMs: number;
}

export async function anonymousCallChecks(call: AnonymousCall): Promise<CheckResult[]> {
  const { route, origin, target, body, timeoutMs } = call;
  const outcome = await postRoute({ url: route.url.href, body, ...(origin ? { origin } : {}), timeoutMs });
  if (outcome.kind === 'network-error') {
    return [
      {
        id: 'route',
        title: 'Route and stage',
        status: 'fail',
        summary: `no answer: ${outcome.message}`,
        fix: unreachableAdvice(target),
      },
    ];
  }
  if (outcome.status === 404) return [await diagnoseNotFound(call)];
  return [routeFound(route, outcome, target), readableRefusal(outcome, origin, target)];
}

/** The answer a protected route gives a caller without credentials, in this mode. */
function expectedRefusal(target: DoctorTarget): { status: number; what: string } | undefined {
  switch (target.auth.mode) {
    case 'none':
      return undefined;
    case 'iam':
      return { status: 403, what: 'an unsigned request' };
    case 'lambda':
      return {
        status: 401,
        what: target.auth.authorizer === 'api-key' ? 'a request without x-api-key' : 'a request without a token',
      };
    default:
      return { status: 401, what: 'a request without a token' };
  }
}

function routeFound(route: RouteUrl, response: ProbeResponse, target: DoctorTarget): CheckResult {
  const where = `${route.routePath} on stage ${route.stage === undefined ? '$default' : `"${route.stage}"`}`;
  const base = { id: 'route', title: 'Route and stage' };
  if (response.status >= 200 && response.status < 300 && target.auth.mode !== 'none') {
    return {
      ...base,
      status: 'fail',
      summary: `${where} answered ${response.status} without credentials: the route is not protected`,
      fix: target.isLocal
        ? `the local stack is public (auth none) although the doctor expected ${target.auth.mode}: restart it with npx gatehouse dev${devFlags(target.auth)}`
        : 'attach the authorizer to the route (the gatehouse construct does for every protected route in the contract), or pass --auth none if the API is public on purpose',
    };
  }
  return { ...base, status: 'pass', summary: `${where} exists (answered ${response.status} without credentials)` };
}

function readableRefusal(response: ProbeResponse, origin: string | undefined, target: DoctorTarget): CheckResult {
  const title = 'POST without credentials';
  const base = { id: 'anonymous-call', title };
  const expected = expectedRefusal(target);
  const problem = problemOf(response);
  if (!expected) {
    return {
      ...base,
      status: 'warn',
      summary: `answered ${response.status}${problem ? ` (${problem.code})` : ''} without credentials: the API is public (auth none), anyone who can reach it calls the core`,
      fix: 'protect it before real data goes through: cognito (the default), lambda or iam',
    };
  }
  if (response.status !== expected.status) {
    return {
      ...base,
      status: response.status >= 200 && response.status < 300 ? 'fail' : 'warn',
      summary: `expected ${expected.status} from the authorizer for ${expected.what}, got ${response.status}${problem ? ` (${problem.code})` : ''}`,
      details: [response.body.slice(0, 300)],
      fix: mismatchAdvice(response.status, target),
    };
  }
  if (problem && gatewayMessage(response) === undefined) {
    return {
      ...base,
      status: 'warn',
      summary: `the ${response.status} came from the edge (${problem.code}), not from API Gateway's authorizer: the edge ran for an unauthenticated call`,
      fix: 'attach the authorizer to the route so unauthenticated calls never reach (or bill) the edge',
    };
  }
  const refusal = `${response.status} from the authorizer for ${expected.what}`;
  if (!origin)
    return { ...base, status: 'pass', summary: `${refusal} (pass --origin to check the browser can read it)` };
  const allowOrigin = response.headers.get('access-control-allow-origin');
  if (allowOrigin !== origin && allowOrigin !== '*') {
    return {
      ...base,
      status: 'fail',
      summary: `${response.status}, but without access-control-allow-origin for ${origin}: the browser reports a CORS error instead of "sign in"`,
      details: [`access-control-allow-origin: ${allowOrigin ?? '(absent)'}`],
      fix: target.isLocal
        ? allowOriginAdvice(target, origin)
        : `allow "${origin}" in the API's CORS configuration (allowedOrigins) — API Gateway then adds the headers to its own ${response.status}s too`,
    };
  }
  return { ...base, status: 'pass', summary: `${refusal}, readable by the browser (CORS headers present)` };
}

/** A refusal other than the mode's own usually means the API runs another mode. */
function mismatchAdvice(status: number, target: DoctorTarget): string {
  const other =
    status === 403 && target.auth.mode !== 'iam'
      ? 'an IAM-protected route answers 403 to an unsigned call'
      : status === 401 && target.auth.mode === 'iam'
        ? 'a token- or key-protected route answers 401 to a call without one'
        : undefined;
  if (target.local) return `the local stack should answer as services.json says (${target.auth.mode}); restart it`;
  if (other) return `${other}: if the API runs that mode, run the doctor again with --auth`;
  return 'check which authorizer the route has, and run the doctor with the matching --auth';
}

async function diagnoseNotFound(call: AnonymousCall): Promise<CheckResult> {
  const { route, target, body, timeoutMs } = call;
  const base = { id: 'route', title: 'Route and stage', status: 'fail' as const };
  const known = route.api.routes.map(routeKey).join(', ');
  if (!route.knownRoute) {
    const suggestion = contractRouteUrl(route.base, route.stage ?? route.api.stage, route.api.routes[0]?.path ?? '/');
    return {
      ...base,
      summary: `404: the path "${route.routePath}" is not a gatehouse route (the API has ${known})`,
      fix: `call ${suggestion}`,
    };
  }
  const candidate = contractRouteUrl(route.base, route.api.stage, route.routePath);
  const alternative = candidate !== route.url.href ? await postRoute({ url: candidate, body, timeoutMs }) : undefined;
  const stageText = route.stage === undefined ? 'the URL has no stage' : `stage "${route.stage}" does not exist`;
  if (alternative?.kind === 'response' && alternative.status !== 404) {
    return {
      ...base,
      summary: `404: ${stageText}; the route answers on stage "${route.api.stage}" (${alternative.status} at ${candidate})`,
      fix: `use ${candidate} — the stage is part of the URL (${target.isLocal ? 'local.json apiUrl' : 'WebConfig.apiUrl'} ends with /${route.api.stage})`,
    };
  }
  return {
    ...base,
    summary: `404: ${stageText}, and stage "${route.api.stage}" does not answer either`,
    fix: target.isLocal
      ? 'check the port: the local gateway serves every route on its one stage (apiUrl in local.json)'
      : 'check the API id and region in the URL against the stack output RouteUrl (npm run deploy prints it), ' +
        'and the stage name if you deployed with stageName',
  };
}
