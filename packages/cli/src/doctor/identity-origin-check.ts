/**
 * Can the web app's page sign in? For the local stack the browser meets the identity service
 * before the API, and it admits only the stack's own origins (its web app's, the loopback ones of
 * the config's `origins`, `--origin`): a page on any other port fails there first, with "A network
 * error has occurred" in Amplify and a CORS error in the console. Cognito itself answers every
 * origin, so a deployed API has nothing to check here.
 */
import type { CheckResult } from './check-result';
import type { DoctorTarget } from './doctor-target';
import { probe } from './http-probe';

export async function identityOriginCheck(
  origin: string | undefined,
  target: DoctorTarget,
  timeoutMs: number,
): Promise<CheckResult | undefined> {
  const local = target.local;
  if (!origin || !local) return undefined;
  const base = { id: 'identity-origin', title: `Sign-in from ${origin} (local identity service)` };
  const endpoint = local.config.cognito.endpoint;
  const outcome = await probe(
    endpoint,
    {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent',
      },
    },
    timeoutMs,
  );
  if (outcome.kind === 'network-error') {
    return {
      ...base,
      status: 'fail',
      summary: `the identity service at ${endpoint} did not answer: ${outcome.message}`,
      fix: 'start the local stack (npx gatehouse dev) and keep it running',
    };
  }
  const allowed = outcome.headers.get('access-control-allow-origin') === origin;
  if (allowed) return { ...base, status: 'pass', summary: `the identity service admits ${origin}` };
  return {
    ...base,
    status: 'fail',
    summary: `the identity service refuses pages from ${origin} (status ${outcome.status}): sign-in fails with a network error`,
    details: [`the local stack admits: ${local.config.allowedOrigins.join(', ')}`],
    fix: `add ${origin} to the config's origins, or restart with npx gatehouse dev --origin ${origin}`,
  };
}
