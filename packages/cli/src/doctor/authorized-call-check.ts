/**
 * The real call: POST with the credential the auth mode takes, as a client makes it, and what the
 * answer means — the authorizer's reason for a 401 or 403 in that mode (a missing token or key, an
 * email off the allow-list, a bad SigV4 signature or a skewed clock), the edge's problem code for
 * a 4xx/5xx (wrong token kind, missing group, origin, a core that cannot be invoked), API Gateway's
 * bare 500/503 (the edge crashed or ran past the 30 s integration timeout).
 */
import { isEmailAllowed, parseEmailAllowList } from '@gatehouse/contract';
import { allowOriginAdvice, freshTokenAdvice, gatehouseCommand, logAdvice, unreachableAdvice } from './advice';
import type { CheckResult } from './check-result';
import { emailClaims } from './credential-checks';
import { type DoctorTarget, devFlags } from './doctor-target';
import { authorizerReason, gatewayMessage, type ProbeResponse, problemOf } from './http-probe';
import type { RequestBody } from './request-body';
import { type Credential, postRoute } from './route-request';

export interface RealCall {
  url: string;
  origin: string | undefined;
  target: DoctorTarget;
  body: RequestBody;
  credential: Credential;
  timeoutMs: number;
  now?: () => number;
  /** The checks before it: the call's verdict must agree with what they found. */
  earlier: readonly CheckResult[];
}

function problemFixes(call: RealCall): Record<string, string> {
  const { target } = call;
  const local = target.isLocal;
  return {
    wrong_token_use: local
      ? `send the ID token: ${gatehouseCommand(target, 'token')} (add --access only for an access token)`
      : 'send the kind of token the edge expects (REQUIRED_TOKEN_USE; the ID token by default)',
    forbidden: local
      ? `use a user in one of the required groups: ${gatehouseCommand(target, 'token --user admin')} (the seeded admin is in "admins")`
      : 'add the user to one of the required Cognito groups (REQUIRED_GROUPS), then sign in again for a fresh token',
    origin_not_allowed: originRefused(call)
      ? `the same origin the preflight refused: ${allowOriginAdvice(target, call.origin ?? '')}`
      : local
        ? allowOriginAdvice(target, call.origin ?? '')
        : 'the edge’s ALLOWED_ORIGINS does not list this origin although the API’s CORS does: deploy both from the same allowedOrigins',
    misconfigured: local
      ? `the edge cannot invoke the core in the local Lambda service: ${logAdvice(target, 'edge')}`
      : 'the edge cannot call the core: check CORE_TARGETS names an existing function for each core in this region and that the edge role may invoke it; the edge log for this request id says which',
    core_failed: local
      ? `the core threw an unexpected error: ${logAdvice(target, 'core')}`
      : `the core threw an unexpected error: ${logAdvice(target, 'core')}, or run npx gatehouse invoke <core> --remote --function <its name>, which prints the log's tail and names a permission the core lacks (AccessDenied)`,
    core_bad_response: 'the core returned something that is not JSON: check its handler’s return value',
    core_timeout: local
      ? `the core ran past the edge’s deadline: make it faster (${logAdvice(target, 'core')})`
      : 'the core ran past the edge’s deadline (coreTimeout): make it faster or raise coreTimeout and edgeTimeout together',
    core_throttled: local
      ? 'every local execution environment of the core was busy: fewer concurrent calls, or a faster core'
      : 'the core hit its concurrency limit: raise its reserved concurrency or the account limit',
    internal: `the edge failed unexpectedly: ${logAdvice(target, 'edge')}`,
  };
}

/** The real call's finding, and where to read the job when the route is a job route (202). */
export interface RealCallResult {
  check: CheckResult;
  jobUrl?: string;
}

export async function authorizedCallCheck(call: RealCall): Promise<RealCallResult> {
  const { response, check } = await realCall(call);
  const location = response?.status === 202 ? response.headers.get('location') : null;
  return location ? { check, jobUrl: new URL(location, call.url).href } : { check };
}

async function realCall(call: RealCall): Promise<{ check: CheckResult; response?: ProbeResponse }> {
  const { url, origin, target, credential, timeoutMs } = call;
  const started = performance.now();
  const outcome = await postRoute({
    url,
    body: call.body.text,
    ...(origin ? { origin } : {}),
    credential,
    timeoutMs,
    ...(call.now ? { now: call.now } : {}),
  });
  const elapsed = Math.round(performance.now() - started);
  const base = { id: 'call', title: `POST with ${credentialLabel(credential)}` };
  if (outcome.kind === 'network-error') {
    return {
      check: { ...base, status: 'fail', summary: `no answer: ${outcome.message}`, fix: unreachableAdvice(target) },
    };
  }
  const requestId = outcome.headers.get('x-request-id') ?? problemOf(outcome)?.requestId;
  const details = [
    `status ${outcome.status} in ${elapsed} ms`,
    `body: ${call.body.source}`,
    ...(requestId ? [`request id ${requestId}`] : []),
    // The schema's own words say what to change in the body.
    ...(problemOf(outcome)?.errors ?? []).slice(0, 10).map((e) => `field ${e.path || '(body)'}: ${e.message}`),
  ];
  const verdict = judge(outcome, call);
  const unreadable =
    origin && !['*', origin].includes(outcome.headers.get('access-control-allow-origin') ?? '')
      ? ` — and without access-control-allow-origin for ${origin}, the browser cannot read this answer`
      : '';
  if (verdict.status === 'pass' && unreadable) {
    return {
      response: outcome,
      check: {
        ...base,
        status: 'fail',
        summary: `${verdict.summary}${unreadable}`,
        details,
        fix: target.isLocal
          ? allowOriginAdvice(target, origin ?? '')
          : `allow "${origin}" in the API's CORS (allowedOrigins)`,
      },
    };
  }
  return { response: outcome, check: { ...base, ...verdict, summary: `${verdict.summary}${unreadable}`, details } };
}

function originRefused(call: RealCall): boolean {
  return call.earlier.some(
    (r) => r.id === 'preflight' && r.status === 'fail' && r.summary.includes('does not allow this origin'),
  );
}

function earlierPassed(call: RealCall, id: string): boolean {
  return call.earlier.some((r) => r.id === id && r.status === 'pass');
}

function credentialLabel(credential: Credential): string {
  if (credential.token !== undefined) return 'the token';
  if (credential.apiKey !== undefined) return 'the API key';
  if (credential.iam) return 'a SigV4 signature';
  return 'no credentials (public API)';
}

type Verdict = Pick<CheckResult, 'status' | 'summary' | 'fix'>;

function judge(response: ProbeResponse, call: RealCall): Verdict {
  const problem = problemOf(response);
  if (response.status === 202 && response.headers.get('location')) {
    const chain =
      call.target.auth.mode === 'none' ? 'edge → jobs table → runner' : 'authorizer → edge → jobs table → runner';
    const jobId = (response.json as { jobId?: unknown } | undefined)?.jobId;
    return { status: 'pass', summary: `202: the job route accepted job ${String(jobId)} (${chain})` };
  }
  if (response.status >= 200 && response.status < 300) {
    const chain = call.target.auth.mode === 'none' ? 'edge → core' : 'authorizer → edge → core';
    return { status: 'pass', summary: `${response.status}: the whole chain works (${chain})` };
  }
  if (
    problem?.code === 'validation_failed' ||
    problem?.code === 'core_invalid_input' ||
    problem?.code === 'core_not_found'
  ) {
    const reached = problem.code.startsWith('core') ? 'the core' : 'the edge';
    return {
      status: 'warn',
      summary: `${response.status} ${problem.code}: the call got through to ${reached}, which refused ${call.body.source} — "${problem.detail}"`,
      fix:
        call.body.source === 'your --body'
          ? 'the authorizer and the edge work; change the body to what the route’s schema accepts'
          : 'nothing to fix in the API; pass --body with a request your route accepts (JSON, or @file.json)',
    };
  }
  if (problem) {
    return {
      status: 'fail',
      summary: `${response.status} ${problem.code}: ${problem.detail}`,
      fix: problemFixes(call)[problem.code] ?? `see the problem code ${problem.code} in docs/DEPLOY.md`,
    };
  }
  const message = gatewayMessage(response);
  const refusal = authorizerRefusal(response, message, call);
  if (refusal) return refusal;
  if (response.status === 500 && message === 'Internal Server Error') {
    const authorizer = call.target.auth.mode === 'lambda' ? 'the Lambda authorizer or ' : '';
    return {
      status: 'fail',
      summary: `500 from API Gateway: ${authorizer}the edge Lambda crashed or returned nothing usable (often a configuration error at cold start)`,
      fix: call.target.isLocal
        ? 'read what npx gatehouse dev prints: a bad environment variable fails the cold start with a message naming it'
        : 'read the function’s log: a bad environment variable fails the cold start with a message naming it',
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
    fix: logAdvice(call.target, 'edge'),
  };
}

/** 401 and 403 from the authorizer, read in the API's auth mode. */
function authorizerRefusal(response: ProbeResponse, message: string | undefined, call: RealCall): Verdict | undefined {
  const { target } = call;
  if (response.status !== 401 && response.status !== 403) return undefined;
  switch (target.auth.mode) {
    case 'cognito':
      if (response.status === 401) {
        const reason = authorizerReason(response);
        return {
          status: 'fail',
          summary: `401 from API Gateway's JWT authorizer${reason ? `: "${reason}"` : ''}`,
          fix: explainAuthorizerReason(reason, target),
        };
      }
      if (message !== 'Forbidden') return undefined;
      return {
        status: 'fail',
        summary: '403 from the JWT authorizer: the token lacks every scope the route requires',
        fix: 'route scopes need an access token with one of them; gatehouse routes list none by default',
      };
    case 'lambda':
      return call.credential.apiKey !== undefined ? apiKeyRefusal(response, call) : allowListRefusal(response, call);
    case 'iam':
      return iamRefusal(response, message, call);
    case 'none':
      return {
        status: 'fail',
        summary: `${response.status} ${message ?? ''}: the doctor expected a public API (auth none), but something refused the call`,
        fix: target.local
          ? `the local stack answers as services.json says; restart it: npx gatehouse dev${devFlags(target.auth)}`
          : 'pass the --auth the API really uses',
      };
  }
}

function allowListRefusal(response: ProbeResponse, call: RealCall): Verdict {
  const { target } = call;
  if (response.status === 401) {
    return {
      status: 'fail',
      summary:
        '401: the Authorization header was missing or empty, so API Gateway refused before calling the Lambda authorizer',
      fix: `send the ID token in the Authorization header; ${freshTokenAdvice(target)}`,
    };
  }
  const claims = call.credential.token ? emailClaims(call.credential.token) : undefined;
  const summary = '403 from the Lambda authorizer (email allow-list)';
  if (!claims?.email) {
    return {
      status: 'fail',
      summary: `${summary}: the token was refused before its email was read — invalid, expired, or from another pool or client`,
      fix: `see the token check above; ${freshTokenAdvice(target)}`,
    };
  }
  if (!claims.verified) {
    return {
      status: 'fail',
      summary: `${summary}: ${claims.email} is not verified, and only verified emails count`,
      fix: 'see the allow-list check above',
    };
  }
  const list = target.auth.mode === 'lambda' ? target.auth.allowedEmails : undefined;
  if (list && !isEmailAllowed(parseEmailAllowList(list), claims.email, true)) {
    return {
      status: 'fail',
      summary: `${summary}: ${claims.email} is not on the allow-list (${list.join(', ')})`,
      fix: 'see the allow-list check above',
    };
  }
  return {
    status: 'fail',
    summary: `${summary}: ${claims.email} (verified) is not admitted — it is not on the list, or the token itself was refused`,
    fix: target.isLocal
      ? 'see the allow-list and token checks above'
      : 'check allowedEmails holds the address or its @domain (the authorizer log says "email not on the allow-list"), and the token check above',
  };
}

function apiKeyRefusal(response: ProbeResponse, call: RealCall): Verdict {
  const { target } = call;
  const issue = target.isLocal
    ? `KEY=$(${gatehouseCommand(target, 'keys add doctor --local')}), then --api-key "$KEY"`
    : 'issue one with npx gatehouse keys add <id> --region <region>, then --api-key <key>';
  if (response.status === 401) {
    return {
      status: 'fail',
      summary:
        '401: no x-api-key header (or an empty one), so API Gateway refused before calling the Lambda authorizer',
      fix: `send the key in the x-api-key header: ${issue}`,
    };
  }
  if (earlierPassed(call, 'api-key')) {
    return {
      status: 'fail',
      summary:
        '403 from the Lambda authorizer (API keys), although the key is in the local key list: the authorizer still holds the list it read before the key was issued',
      fix: 'call again after its cache period (cacheSeconds, 60 s by default): it re-reads the list then',
    };
  }
  return {
    status: 'fail',
    summary: '403 from the Lambda authorizer (API keys): the key is unknown or revoked',
    fix:
      `use a key that is issued and not revoked: ${issue}. ` +
      'A key issued in the last minute can be refused until the authorizer re-reads the list (cacheSeconds, default 60 s)',
  };
}

const IAM_REASONS: Array<[RegExp, string, (call: RealCall) => string]> = [
  [
    /Missing Authentication Token/i,
    'the request is not signed',
    () => 'sign it with SigV4 for execute-api (AWS SDK, Amplify’s signer, or curl --aws-sigv4)',
  ],
  [
    /signature we calculated does not match/i,
    'the signature does not match',
    (call) =>
      call.target.local
        ? 'sign with the local stack’s credential (iam in services.json), over the exact host, path and body sent'
        : 'check the secret access key, and that the host, path, query and body signed are exactly those sent (a proxy that rewrites them breaks the signature)',
  ],
  [
    /Signature expired|Signature not yet current/i,
    'the signature’s date is more than 5 minutes from the server’s clock',
    () => 'set this machine’s clock right (timedatectl set-ntp true, or your OS’s time sync), then sign again',
  ],
  [
    /security token included in the request is invalid/i,
    'the access key is not one the API knows',
    (call) =>
      call.target.local
        ? 'sign with the local stack’s credential (iam in services.json; it changes if the state directory is deleted)'
        : 'refresh the credentials (an expired session token, or a key from another account)',
  ],
  [
    /scoped to a valid region|scoped to correct service/i,
    'the signature is scoped to another region or service',
    () => 'sign for service execute-api in the API’s region',
  ],
];

function iamRefusal(response: ProbeResponse, message: string | undefined, call: RealCall): Verdict {
  const text = message ?? response.body.slice(0, 200);
  const skew = clockSkewSeconds(response, call.now);
  const skewNote =
    skew !== undefined && Math.abs(skew) > 300 ? `; this machine's clock is ${formatSkew(skew)} the server's` : '';
  for (const [pattern, meaning, fix] of IAM_REASONS) {
    if (pattern.test(text)) {
      return {
        status: 'fail',
        summary: `${response.status} from the IAM authorizer: ${meaning} ("${text}")${skewNote}`,
        fix: fix(call),
      };
    }
  }
  if (skewNote) {
    return {
      status: 'fail',
      summary: `${response.status} from the IAM authorizer ("${text}")${skewNote}`,
      fix: IAM_REASONS[2]?.[2](call) ?? '',
    };
  }
  return {
    status: 'fail',
    summary: `${response.status} from the IAM authorizer ("${text}"): the signature is valid but the identity may not invoke this route`,
    fix: 'allow execute-api:Invoke on this route’s ARN in the caller’s IAM policy',
  };
}

/** Local clock minus the server's, from the response's Date header (second resolution). */
function clockSkewSeconds(response: ProbeResponse, now: (() => number) | undefined): number | undefined {
  const date = Date.parse(response.headers.get('date') ?? '');
  if (Number.isNaN(date)) return undefined;
  return Math.round(((now?.() ?? Date.now()) - date) / 1000);
}

function formatSkew(seconds: number): string {
  const size = Math.abs(seconds) >= 120 ? `${Math.round(Math.abs(seconds) / 60)} min` : `${Math.abs(seconds)} s`;
  return `${size} ${seconds > 0 ? 'ahead of' : 'behind'}`;
}

function explainAuthorizerReason(reason: string | undefined, target: DoctorTarget): string {
  const r = (reason ?? '').toLowerCase();
  const local = target.isLocal;
  if (r.includes('audience')) {
    return local
      ? `the token was issued to another app client than the local web client: ${freshTokenAdvice(target)}`
      : 'the token was issued to another app client: use the API’s userPoolClientId, or add the client to userPoolClientIds';
  }
  if (r.includes('issuer') || r.includes('iss')) {
    return local
      ? `the token comes from another user pool than this local stack's (an earlier run on another port?): ${freshTokenAdvice(target)}`
      : 'the token comes from another user pool than the one the API trusts';
  }
  if (r.includes('expired')) return `the token expired: ${local ? freshTokenAdvice(target) : 'sign in again'}`;
  if (r.includes('signature') || r.includes('kid') || r.includes('key')) {
    return local
      ? `the signature does not verify against this local stack's keys (a token from AWS, or from a deleted state directory): ${freshTokenAdvice(target)}`
      : 'the signature does not verify against the pool’s keys: the token was altered, or comes from a different pool with the same id elsewhere (e.g. the local emulator)';
  }
  return 'see the token check above for what is wrong with the token';
}
