/**
 * The browser's CORS preflight, sent as a browser sends it: does the API allow the web app's origin,
 * the POST method and the headers the app sends? A preflight answered 401 or 404 means CORS is not
 * configured on the API at all, and the browser shows a CORS error that hides the real cause.
 */
import { API } from '@gatehouse/contract';
import type { CheckResult } from './check-result';
import { type ProbeResponse, probe } from './http-probe';

/** What the gatehouse web app sends: the token and a JSON body. */
export const REQUESTED_HEADERS = ['authorization', 'content-type'];

export async function preflightCheck(url: string, origin: string | undefined, timeoutMs: number): Promise<CheckResult> {
  const title = 'CORS preflight';
  if (!origin) {
    return {
      id: 'preflight',
      title,
      status: 'skip',
      summary: 'no --origin given, so CORS was not checked',
      fix: 'run again with --origin <your web app origin>, e.g. --origin https://main.d1abc.amplifyapp.com',
    };
  }
  const outcome = await probe(
    url,
    {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': REQUESTED_HEADERS.join(','),
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
      fix: unreachableFix,
    };
  }
  return judgePreflight(outcome, origin);
}

export const unreachableFix =
  'check the URL (API id, region, http vs https) and that the stack is deployed, or that `npm start` is running';

function judgePreflight(response: ProbeResponse, origin: string): CheckResult {
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
        fix:
          'configure CORS on the HTTP API itself (the gatehouse construct does, from the contract) so API Gateway ' +
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
      fix:
        `add "${origin}" to allowedOrigins (gatehouse.deploy.json or --context allowedOrigins=…) and deploy again; ` +
        'the origin must match exactly: scheme, host and port, no trailing slash',
    };
  }
  const methods = listHeader(response.headers.get('access-control-allow-methods'));
  const headers = listHeader(response.headers.get('access-control-allow-headers'));
  const missingMethod = !methods.includes('*') && !methods.includes('post');
  const missingHeaders = headers.includes('*') ? [] : REQUESTED_HEADERS.filter((h) => !headers.includes(h));
  if (missingMethod || missingHeaders.length > 0) {
    const missing = [...(missingMethod ? ['method POST'] : []), ...missingHeaders.map((h) => `header ${h}`)];
    return {
      ...base,
      status: 'fail',
      summary: `the origin is allowed but the preflight does not allow ${missing.join(', ')}`,
      details,
      fix: `the API's CORS must allow methods ${API.cors.allowMethods.join(', ')} and headers ${API.cors.allowHeaders.join(', ')} (the contract's list); deploy with the gatehouse construct or add them in the API's CORS settings`,
    };
  }
  return {
    ...base,
    status: 'pass',
    summary: 'the origin, POST and the authorization and content-type headers are allowed',
    details,
  };
}

function listHeader(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
}
