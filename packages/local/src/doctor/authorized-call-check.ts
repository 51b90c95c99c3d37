/**
 * The real call: POST with the token, as the web app makes it, and what the answer means — the
 * authorizer's reason for a 401, the edge's problem code for a 4xx/5xx (wrong token kind, missing
 * group, origin, a core that cannot be invoked), API Gateway's bare 500/503 (the edge crashed or
 * ran past the 30 s integration timeout).
 */

import { postInference } from './anonymous-call-check';
import type { CheckResult } from './check-result';
import { authorizerReason, gatewayMessage, type ProbeResponse, problemOf } from './http-probe';
import { unreachableFix } from './preflight-check';

const PROBLEM_FIXES: Record<string, string> = {
  wrong_token_use: 'send the kind of token the edge expects (REQUIRED_TOKEN_USE; the ID token by default)',
  forbidden:
    'add the user to one of the required Cognito groups (REQUIRED_GROUPS), then sign in again for a fresh token',
  origin_not_allowed:
    'the edge’s ALLOWED_ORIGINS does not list this origin although the API’s CORS might: deploy both from the same allowedOrigins',
  misconfigured:
    'the edge cannot call the core: check TARGET_LAMBDA_NAME names an existing function in this region and that the edge role may invoke it; the edge log for this request id says which',
  core_failed: 'the core threw an unexpected error: read the core’s log for this request id',
  core_bad_response: 'the core returned something that is not JSON: check its handler’s return value',
  core_timeout:
    'the core ran past the edge’s deadline (coreTimeout): make it faster or raise coreTimeout and edgeTimeout together',
  core_throttled: 'the core hit its concurrency limit: raise its reserved concurrency or the account limit',
  internal: 'the edge failed unexpectedly: read the edge log for this request id',
};

export async function authorizedCallCheck(
  url: string,
  token: string,
  origin: string | undefined,
  timeoutMs: number,
): Promise<CheckResult> {
  const headers: Record<string, string> = { authorization: token.replace(/^Bearer\s+/i, '').trim() };
  if (origin) headers.origin = origin;
  const started = performance.now();
  const outcome = await postInference(url, headers, timeoutMs);
  const elapsed = Math.round(performance.now() - started);
  const base = { id: 'call', title: 'POST with the token' };
  if (outcome.kind === 'network-error') {
    return { ...base, status: 'fail', summary: `no answer: ${outcome.message}`, fix: unreachableFix };
  }
  const requestId = outcome.headers.get('x-request-id') ?? problemOf(outcome)?.requestId;
  const details = [`status ${outcome.status} in ${elapsed} ms`, ...(requestId ? [`request id ${requestId}`] : [])];
  const verdict = judge(outcome);
  const unreadable =
    origin && !['*', origin].includes(outcome.headers.get('access-control-allow-origin') ?? '')
      ? ` — and without access-control-allow-origin for ${origin}, the browser cannot read this answer`
      : '';
  if (verdict.status === 'pass' && unreadable) {
    return {
      ...base,
      status: 'fail',
      summary: `${verdict.summary}${unreadable}`,
      details,
      fix: `allow "${origin}" in the API's CORS (allowedOrigins)`,
    };
  }
  return { ...base, ...verdict, summary: `${verdict.summary}${unreadable}`, details };
}

function judge(response: ProbeResponse): Pick<CheckResult, 'status' | 'summary' | 'fix'> {
  const problem = problemOf(response);
  if (response.status >= 200 && response.status < 300) {
    return { status: 'pass', summary: `${response.status}: the whole chain works (authorizer → edge → core)` };
  }
  if (
    problem?.code === 'validation_failed' ||
    problem?.code === 'core_invalid_input' ||
    problem?.code === 'core_not_found'
  ) {
    return {
      status: 'warn',
      summary: `${response.status} ${problem.code}: the call got through to ${problem.code.startsWith('core') ? 'the core' : 'the edge'}, which refused the sample question — "${problem.detail}"`,
      fix: 'nothing to fix in the deployment; the doctor’s sample body does not suit this core',
    };
  }
  if (problem) {
    return {
      status: 'fail',
      summary: `${response.status} ${problem.code}: ${problem.detail}`,
      fix: PROBLEM_FIXES[problem.code] ?? `see the problem code ${problem.code} in docs/DEPLOY.md`,
    };
  }
  const message = gatewayMessage(response);
  if (response.status === 401) {
    const reason = authorizerReason(response);
    return {
      status: 'fail',
      summary: `401 from API Gateway's JWT authorizer${reason ? `: "${reason}"` : ''}`,
      fix: explainAuthorizerReason(reason),
    };
  }
  if (response.status === 403 && message === 'Forbidden') {
    return {
      status: 'fail',
      summary: '403 from the authorizer: the token lacks every scope the route requires',
      fix: 'route scopes need an access token with one of them; gatehouse routes list none by default',
    };
  }
  if (response.status === 500 && message === 'Internal Server Error') {
    return {
      status: 'fail',
      summary:
        '500 from API Gateway: the edge Lambda crashed or returned nothing usable (often a configuration error at cold start)',
      fix: 'read the edge’s log: a bad environment variable fails the cold start with a message naming it',
    };
  }
  if (response.status === 503 && message === 'Service Unavailable') {
    return {
      status: 'fail',
      summary: '503 from API Gateway: the edge ran past the 30 s integration timeout',
      fix: 'edgeTimeout must stay below 30 s and coreTimeout inside it (the construct checks this at synth)',
    };
  }
  if (response.status === 429) {
    return {
      status: 'fail',
      summary: '429: throttled by the stage',
      fix: 'raise throttling (rate, burst) on the stage',
    };
  }
  return {
    status: 'fail',
    summary: `unexpected ${response.status}: ${response.body.slice(0, 200)}`,
    fix: 'read the edge’s log',
  };
}

function explainAuthorizerReason(reason: string | undefined): string {
  const r = (reason ?? '').toLowerCase();
  if (r.includes('audience'))
    return 'the token was issued to another app client: use the API’s userPoolClientId, or add the client to userPoolClientIds';
  if (r.includes('issuer') || r.includes('iss'))
    return 'the token comes from another user pool than the one the API trusts';
  if (r.includes('expired')) return 'the token expired: sign in again';
  if (r.includes('signature') || r.includes('kid') || r.includes('key')) {
    return 'the signature does not verify against the pool’s keys: the token was altered, or comes from a different pool with the same id elsewhere (e.g. the local emulator)';
  }
  return 'see the token check above for what is wrong with the token';
}
