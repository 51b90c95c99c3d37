/**
 * Runs the doctor's checks in the order a user would debug by hand — can the browser talk to the
 * API (preflight), does the URL name a route (POST without credentials), is the credential the
 * right one for the API's auth mode, does a real call work (for a job route: can its owner read the
 * job, and does it finish) — and returns every finding; nothing is printed here.
 */
import { freshTokenAdvice, gatehouseCommand } from './advice';
import { anonymousCallChecks } from './anonymous-call-check';
import { authorizedCallCheck } from './authorized-call-check';
import type { CheckResult } from './check-result';
import { allowListCheck, apiKeyCheck, iamCredentialCheck } from './credential-checks';
import { DEPLOYED_COGNITO, type DoctorAuth, type DoctorTarget, describeAuth, devFlags } from './doctor-target';
import type { TokenExpectations } from './expectations';
import { identityOriginCheck } from './identity-origin-check';
import { JOB_WAIT_MS, jobCheck } from './job-check';
import { preflightCheck } from './preflight-check';
import { chooseBody, type RequestBody } from './request-body';
import type { Credential, IamCredential } from './route-request';
import type { RouteUrl } from './route-url';
import { tokenCheck } from './token-check';

export interface DoctorOptions {
  route: RouteUrl;
  origin?: string;
  token?: string;
  apiKey?: string;
  /** For `iam`: what to sign with (for the local stack, its own credential is used when absent). */
  iam?: IamCredential;
  expectations: TokenExpectations;
  /** What is known of the API (auth mode, local stack); default: a deployed API in cognito mode. */
  target?: DoctorTarget;
  /** `--body`, already checked to be JSON. */
  body?: RequestBody;
  /** The route's example request from the project config: the body when `--body` is not given. */
  exampleBody?: unknown;
  /** Per request. */
  timeoutMs: number;
  /** How long to poll a job route's job before reporting it unfinished. @default 60 s */
  jobWaitMs?: number;
  now?: () => number;
}

export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const { route, origin, timeoutMs } = options;
  const given = options.target ?? DEPLOYED_COGNITO;
  const target: DoctorTarget = { ...given, auth: withLambdaKind(given.auth, options) };
  const body = chooseBody(options.body, options.exampleBody);
  const url = route.url.href;
  const results: CheckResult[] = [];
  if (target.requested) results.push(modeMismatch(target, target.requested));
  const method = route.knownRoute?.method === 'ANY' ? 'POST' : (route.knownRoute?.method ?? 'POST');
  const identity = await identityOriginCheck(origin, target, timeoutMs);
  if (identity) results.push(identity);
  results.push(await preflightCheck(url, method, origin, target, timeoutMs));
  results.push(...(await anonymousCallChecks({ route, origin, target, body: body.text, timeoutMs })));
  const step = await credentialStep(options, target);
  results.push(...step.checks);
  if (!step.credential) return results;
  const routeBroken = results.some((r) => r.id === 'route' && r.status === 'fail');
  if (routeBroken) {
    results.push({
      id: 'call',
      title: 'Real call',
      status: 'skip',
      summary: 'not attempted: the URL does not reach the route',
      fix: 'fix the route and stage first',
    });
    return results;
  }
  const call = await authorizedCallCheck({
    url,
    origin,
    target,
    body,
    credential: step.credential,
    timeoutMs,
    ...(options.now ? { now: options.now } : {}),
    earlier: results,
  });
  results.push(call.check);
  if (call.jobUrl) {
    results.push(
      await jobCheck({
        jobUrl: call.jobUrl,
        credential: step.credential,
        target,
        timeoutMs,
        waitMs: options.jobWaitMs ?? JOB_WAIT_MS,
      }),
    );
  }
  return results;
}

/** A deployed `--auth lambda` without `--authorizer`: the credential given says which kind. */
function withLambdaKind(auth: DoctorAuth, options: DoctorOptions): DoctorAuth {
  if (auth.mode !== 'lambda' || auth.authorizer) return auth;
  if (options.apiKey !== undefined) return { ...auth, authorizer: 'api-key' };
  if (options.token !== undefined) return { ...auth, authorizer: 'email-allowlist' };
  return auth;
}

function modeMismatch(target: DoctorTarget, requested: DoctorAuth): CheckResult {
  return {
    id: 'auth',
    title: 'Auth mode',
    status: 'fail',
    summary: `you asked about ${describeAuth(requested)}, but the local stack runs ${describeAuth(target.auth)} (${target.authSource}); the checks below probe what it runs`,
    fix: `restart the local stack in that mode: ${gatehouseCommand(target, `dev${devFlags(requested)}`)}`,
  };
}

interface CredentialStep {
  checks: CheckResult[];
  /** Absent when the real call cannot be made (no credential for this mode). */
  credential?: Credential;
}

async function credentialStep(options: DoctorOptions, target: DoctorTarget): Promise<CredentialStep> {
  const { auth } = target;
  switch (auth.mode) {
    case 'none':
      return { checks: [], credential: {} };
    case 'iam':
      return iamStep(options, target);
    case 'lambda':
      if (auth.authorizer === 'api-key') return apiKeyStep(options, target);
      return tokenStep(options, target, true);
    default:
      return tokenStep(options, target, false);
  }
}

function tokenStep(options: DoctorOptions, target: DoctorTarget, allowList: boolean): CredentialStep {
  const { token } = options;
  if (token === undefined) {
    return {
      checks: [
        {
          id: 'token',
          title: 'Token',
          status: 'skip',
          summary: `no --token given, so the token and a real call were not checked${ignored(options, 'token')}`,
          fix: `run again with --token <ID token>; ${freshTokenAdvice(target)}`,
        },
      ],
    };
  }
  const nowSeconds = (options.now?.() ?? Date.now()) / 1000;
  const checks = [tokenCheck(token, options.expectations, nowSeconds, target)];
  if (allowList) checks.push(allowListCheck(token, target));
  return { checks, credential: { token } };
}

async function apiKeyStep(options: DoctorOptions, target: DoctorTarget): Promise<CredentialStep> {
  const { apiKey } = options;
  if (apiKey === undefined) {
    const issue = target.isLocal
      ? `KEY=$(${gatehouseCommand(target, 'keys add doctor --local')}), then run again with --api-key "$KEY"`
      : 'run again with --api-key <key> (issue one with npx gatehouse keys add <id> --region <region>)';
    return {
      checks: [
        {
          id: 'api-key',
          title: 'API key',
          status: 'skip',
          summary: `the API admits API keys (x-api-key) and no --api-key was given, so no real call was made${ignored(options, 'api-key')}`,
          fix: issue,
        },
      ],
    };
  }
  return { checks: [await apiKeyCheck(apiKey, target)], credential: { apiKey } };
}

function iamStep(options: DoctorOptions, target: DoctorTarget): CredentialStep {
  const local = target.local?.services.iam;
  const credential =
    options.iam ?? (local ? { ...local, source: `the local stack's credential, ${target.authSource}` } : undefined);
  if (!credential) {
    return {
      checks: [
        {
          id: 'signature',
          title: 'SigV4 credential',
          status: 'skip',
          summary: `the API admits SigV4-signed requests and no credential was found, so no real call was made${ignored(options, 'iam')}`,
          fix: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment, and AWS_REGION or --region',
        },
      ],
    };
  }
  return { checks: [iamCredentialCheck(credential, options.route.url)], credential: { iam: credential } };
}

/** A credential given for another mode is named, so nobody wonders why it was not used. */
function ignored(options: DoctorOptions, wanted: 'token' | 'api-key' | 'iam'): string {
  if (wanted !== 'token' && options.token !== undefined) return ' (--token is not used in this mode)';
  if (wanted !== 'api-key' && options.apiKey !== undefined) return ' (--api-key is not used in this mode)';
  return '';
}
