/**
 * Runs the doctor's checks in the order a user would debug by hand — can the browser talk to the
 * API (preflight), does the URL name a route (POST without a token), is the token the right one,
 * does a real call work — and returns every finding; nothing is printed here.
 */
import { anonymousCallChecks } from './anonymous-call-check';
import { authorizedCallCheck } from './authorized-call-check';
import type { CheckResult } from './check-result';
import type { TokenExpectations } from './expectations';
import { preflightCheck } from './preflight-check';
import type { RouteUrl } from './route-url';
import { tokenCheck } from './token-check';

export interface DoctorOptions {
  route: RouteUrl;
  origin?: string;
  token?: string;
  expectations: TokenExpectations;
  /** Per request. */
  timeoutMs: number;
  now?: () => number;
}

export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const { route, origin, token, timeoutMs } = options;
  const url = route.url.href;
  const results: CheckResult[] = [await preflightCheck(url, origin, timeoutMs)];
  results.push(...(await anonymousCallChecks(route, origin, timeoutMs)));
  if (token === undefined) {
    results.push({
      id: 'token',
      title: 'Token',
      status: 'skip',
      summary: 'no --token given, so the token and a real call were not checked',
      fix: 'run again with --token <ID token> (locally: --token "$(gatehouse token)")',
    });
    return results;
  }
  const nowSeconds = (options.now?.() ?? Date.now()) / 1000;
  results.push(tokenCheck(token, options.expectations, nowSeconds));
  const routeBroken = results.some((r) => r.id === 'route' && r.status === 'fail');
  results.push(
    routeBroken
      ? {
          id: 'call',
          title: 'POST with the token',
          status: 'skip',
          summary: 'not attempted: the URL does not reach the route',
          fix: 'fix the route and stage first',
        }
      : await authorizedCallCheck(url, token, origin, timeoutMs),
  );
  return results;
}
