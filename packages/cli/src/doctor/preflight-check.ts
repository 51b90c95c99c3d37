/**
 * The browser's CORS preflight, sent as a browser sends it: does the API allow the web app's origin,
 * the route's method and the headers the app sends? A preflight answered 401 or 404 means CORS is not
 * configured on the API at all, and the browser shows a CORS error that hides the real cause.
 */
import { allowOriginAdvice, exampleOrigin, unreachableAdvice } from './advice';
import type { CheckResult } from './check-result';
import type { DoctorAuth, DoctorTarget } from './doctor-target';
import { type ProbeResponse, probe } from './http-probe';

/** What a browser sends in each mode: the credential's headers and a JSON body. */
export function requestedHeaders(auth: DoctorAuth): string[] {
  switch (auth.mode) {
    case 'lambda':
      return [auth.authorizer === 'api-key' ? 'x-api-key' : 'authorization', 'content-type'];
    case 'iam':
      return ['authorization', 'content-type', 'x-amz-date', 'x-amz-content-sha256'];
    case 'none':
      return ['content-type'];
    default:
      return ['authorization', 'content-type'];
  }
}

export async function preflightCheck(
  url: string,
  method: string,
  origin: string | undefined,
  target: DoctorTarget,
  timeoutMs: number,
): Promise<CheckResult> {
  const title = 'CORS preflight';
  if (!origin) {
    return {
      id: 'preflight',
      title,
      status: 'skip',
      summary: 'no --origin given, so CORS was not checked',
      fix: `run again with --origin <your web app origin>, e.g. --origin ${exampleOrigin(target)}`,
    };
  }
  const wanted = requestedHeaders(target.auth);
  const outcome = await probe(
    url,
    {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': wanted.join(','),
      },
    },
    timeoutMs,
  );
  if (outcome.kind === 'network-error') {
    return {
      id: 'preflight',
      title,
      status: 'fail',
      summary: `the API did not answer: ${outcome.message}`,
      fix: unreachableAdvice(target),
    };
  }
  return judgePreflight(outcome, origin, method, wanted, target);
}

function judgePreflight(
  response: ProbeResponse,
  origin: string,
  method: string,
  wanted: string[],
  target: DoctorTarget,
): CheckResult {
  const base = { id: 'preflight', title: `${'CORS preflight'} from ${origin}` };
  const allowOrigin = response.headers.get('access-control-allow-origin');
  const details = [
    `status ${response.status}`,
    `access-control-allow-origin: ${allowOrigin ?? '(absent)'}`,
    `access-control-allow-methods: ${response.headers.get('access-control-allow-methods') ?? '(absent)'}`,
    `access-control-allow-headers: ${response.headers.get('access-control-allow-headers') ?? '(absent)'}`,
  ];
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    if (!allowOrigin) {
      return {
        ...base,
        status: 'fail',
        summary: `the preflight was answered ${response.status} without CORS headers: CORS is not configured for this API, or not for this path`,
        details,
        fix: target.isLocal
          ? 'the local gateway answers every preflight for a known route: if the route check below fails, fix the URL first'
          : 'configure CORS on the HTTP API itself (the gatehouse construct does, from the contract) so API Gateway ' +
            'answers OPTIONS before any authorizer; if the route check below also fails, fix the URL first',
      };
    }
  }
  if (allowOrigin !== origin && allowOrigin !== '*') {
    return {
      ...base,
      status: 'fail',
      summary: 'the API does not allow this origin, so the browser blocks every call from the web app',
      details,
      fix: allowOriginAdvice(target, origin),
    };
  }
  const methods = listHeader(response.headers.get('access-control-allow-methods'));
  const headers = listHeader(response.headers.get('access-control-allow-headers'));
  const missingMethod = !methods.includes('*') && !methods.includes(method.toLowerCase());
  const missingHeaders = headers.includes('*') ? [] : wanted.filter((h) => !headers.includes(h));
  if (missingMethod || missingHeaders.length > 0) {
    const missing = [...(missingMethod ? [`method ${method}`] : []), ...missingHeaders.map((h) => `header ${h}`)];
    return {
      ...base,
      status: 'fail',
      summary: `the origin is allowed but the preflight does not allow ${missing.join(', ')}`,
      details,
      fix: target.isLocal
        ? `the local gateway allows the headers its auth mode needs: restart ${target.local ? 'it' : 'the local stack'} in the mode you test (the doctor reads it from services.json)`
        : `the API's CORS must allow method ${method} and headers ${wanted.join(', ')} (the contract's list and the auth mode's); deploy with the gatehouse construct or add them in the API's CORS settings`,
    };
  }
  return {
    ...base,
    status: 'pass',
    summary: `the origin, ${method} and the headers ${wanted.join(', ')} are allowed`,
    details,
  };
}

function listHeader(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
}
