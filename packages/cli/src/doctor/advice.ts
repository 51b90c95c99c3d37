/**
 * The fixes that differ between the local stack and a deployed API, in one place so no check gives
 * deploy advice for a local URL: locally the answer is a restart of `gatehouse dev` or an origin it
 * already allows, and every command is printed as `npx gatehouse …` with the state directory it needs.
 */
import { type DoctorTarget, devFlags } from './doctor-target';

/** `npx gatehouse <command>`, with `--state-dir` when the default rule would not find this stack. */
export function gatehouseCommand(target: DoctorTarget, command: string): string {
  return `npx gatehouse ${command}${target.local?.stateDirArgument ?? ''}`;
}

/** How to get a token the API accepts. */
export function freshTokenAdvice(target: DoctorTarget): string {
  return target.isLocal
    ? `get one from this local stack: --token "$(${gatehouseCommand(target, 'token')})"`
    : 'sign in through the app and pass its ID token (Amplify: (await fetchAuthSession()).tokens?.idToken?.toString())';
}

/** An origin the example in a hint should use. */
export function exampleOrigin(target: DoctorTarget): string {
  return (
    target.local?.config.webUrl ?? (target.isLocal ? 'http://127.0.0.1:5173' : 'https://main.d1abc.amplifyapp.com')
  );
}

/** How to make the API accept `origin`. */
export function allowOriginAdvice(target: DoctorTarget, origin: string): string {
  if (target.isLocal) {
    const allowed = target.local?.config.allowedOrigins;
    return allowed
      ? `the local stack allows only ${allowed.join(' and ')} (allowedOrigins in local.json): open the page from one of them, ` +
          `or move them with ${gatehouseCommand(target, 'dev --web-port N')}`
      : 'the local stack allows only its web app’s origins (allowedOrigins in local.json): open the page from one of them';
  }
  return (
    `add "${origin}" to allowedOrigins (gatehouse.deploy.json or --context allowedOrigins=…) and deploy again; ` +
    'the origin must match exactly: scheme, host and port, no trailing slash'
  );
}

/** Nothing answered at the URL. */
export function unreachableAdvice(target: DoctorTarget): string {
  if (target.local) {
    return `nothing answers at ${target.local.config.apiUrl} although local.json names it: the stack stopped; start it again with ${gatehouseCommand(target, `dev${devFlags(target.auth)}`)}`;
  }
  if (target.isLocal) return 'nothing answers: start the local stack with npx gatehouse dev, and check the port';
  return 'check the URL (API id, region, http vs https) and that the stack is deployed';
}

/** Where a request's log lines are. */
export function logAdvice(target: DoctorTarget, whose: 'edge' | 'core'): string {
  return target.isLocal
    ? `read the ${whose}'s lines under this request id in what npx gatehouse dev prints`
    : `read the ${whose}’s log (CloudWatch) for this request id`;
}
