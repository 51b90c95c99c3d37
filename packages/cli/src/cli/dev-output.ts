/**
 * What `gatehouse dev` prints: the summary box once the stack is up, one line per request the
 * gateway answers, and the functions' own log lines.
 */
import { stripVTControlCharacters } from 'node:util';
import { hasJobRoutes, JOBS_ROUTE, type ResolvedRoute } from '@gatehouse/contract';
import type { GatewayLogEntry, LocalConfig } from '@gatehouse/local';
import type { Palette } from './colors';

/** The route "Try it" calls: the first with an example body, else the first. */
export function routeToTry(routes: readonly ResolvedRoute[]): ResolvedRoute | undefined {
  return routes.find((route) => route.example !== undefined) ?? routes[0];
}

/** How a caller gets in with the mode the stack runs, for the summary's "Try it". */
export type HowToCall =
  /** cognito, and lambda with the email allow-list: the demo user's ID token. */
  | { kind: 'token'; label: string; idToken: string; tokenCommand: string; note?: string }
  /** lambda with API keys: a key issued by this command. */
  | { kind: 'api-key'; keysCommand: string }
  | { kind: 'iam'; region: string; accessKeyId: string; secretAccessKey: string }
  | { kind: 'public' };

export function summary(
  config: LocalConfig,
  how: HowToCall,
  web: boolean,
  c: Palette,
  routes: readonly ResolvedRoute[],
): string {
  const webWorks = how.kind === 'token' || how.kind === 'public';
  const rows: Array<[string, string]> = [
    ...routes.map((route, index): [string, string] => [
      index === 0 ? 'API' : '',
      `${route.method} ${config.apiUrl}${route.path}${route.job ? '  (job: 202, then GET /jobs/{jobId})' : ''}`,
    ]),
    ...(hasJobRoutes(routes)
      ? ([['', `${JOBS_ROUTE.method} ${config.apiUrl}${JOBS_ROUTE.path}`]] as Array<[string, string]>)
      : []),
    ['Auth', authLabel(how)],
    ...(web
      ? ([
          [
            'Web app',
            webWorks ? config.webUrl : `${config.webUrl}  (cannot call the API in this mode: it sends an ID token)`,
          ],
        ] as Array<[string, string]>)
      : []),
    ['Identity', `${config.cognito.endpoint}  (pool ${config.cognito.userPoolId}, client ${config.cognito.clientId})`],
    ['Lambda', `${config.lambdaEndpoint}  (Invoke API)`],
    ['Demo user', `${config.demoUser.username} / ${config.demoUser.password}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${c.bold(label.padEnd(width))}  ${value}`);
  const rule = c.dim('─'.repeat(72));
  const route = routeToTry(routes);
  const [hint, ...curl] = route ? tryIt(config, how, route) : ['(the config has no routes)'];
  return [
    rule,
    `  ${c.green(c.bold('gatehouse local stack is ready'))}`,
    ...lines,
    '',
    `  ${c.bold('Try it')} ${c.dim(hint as string)}`,
    ...curl.map((line) => `  ${c.cyan(line)}`),
    '',
    `  ${c.dim('Ctrl-C stops everything; the identity store (.cognito/ in the state directory) is kept.')}`,
    rule,
  ].join('\n');
}

function authLabel(how: HowToCall): string {
  switch (how.kind) {
    case 'token':
      return how.label;
    case 'api-key':
      return 'lambda authorizer, API keys (x-api-key header)';
    case 'iam':
      return `iam (SigV4, region ${how.region})`;
    case 'public':
      return 'none — PUBLIC: every caller reaches the core';
  }
}

/** The hint line, then the commands to paste. */
function tryIt(config: LocalConfig, how: HowToCall, route: ResolvedRoute): string[] {
  const path = route.path.replace(/\{([^}+]+)\+?\}/g, '$1-1');
  const method = route.method === 'ANY' ? 'POST' : route.method;
  const post = [
    `curl -sS -X ${method} '${config.apiUrl}${path}${route.hasBody ? '' : queryOf(route.example)}'`,
    ...(route.hasBody ? [`  -H 'content-type: application/json'`] : []),
  ];
  const body = route.hasBody ? `  -d '${shellQuoted(JSON.stringify(route.example ?? {}))}'` : '';
  const join = (lines: string[]) =>
    lines
      .filter((line) => line !== '')
      .join(' \\\n')
      .split('\n');
  switch (how.kind) {
    case 'token':
      return [
        `(the demo user's ID token, valid 1 h; a fresh one: ${how.tokenCommand})${how.note ? ` ${how.note}` : ''}`,
        ...join([...post, `  -H 'authorization: Bearer ${how.idToken}'`, body]),
      ];
    case 'api-key':
      return [
        '(issue a key first; it is printed once and stored hashed in the local Parameter Store)',
        `KEY=$(${how.keysCommand})`,
        ...join([...post, `  -H "x-api-key: $KEY"`, body]),
      ];
    case 'iam':
      return [
        "(signed with the local stack's IAM credential, also in services.json)",
        ...join([
          ...post,
          `  --aws-sigv4 'aws:amz:${how.region}:execute-api'`,
          `  --user '${how.accessKeyId}:${how.secretAccessKey}'`,
          body,
        ]),
      ];
    case 'public':
      return ['(no credentials: the API is public)', ...join([...post, body])];
  }
}

function queryOf(example: unknown): string {
  if (typeof example !== 'object' || example === null) return '';
  const query = new URLSearchParams(
    Object.entries(example).map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();
  return query ? `?${query}` : '';
}

/** Inside single quotes, a single quote is written '\''. */
function shellQuoted(text: string): string {
  return text.replaceAll("'", "'\\''");
}

export function requestLine(entry: GatewayLogEntry, c: Palette): string {
  const colour = entry.status >= 500 ? c.red : entry.status >= 400 ? c.yellow : c.green;
  const latency = `${entry.latencyMs.toFixed(1)} ms`;
  const integration =
    entry.integrationLatencyMs === undefined ? '' : c.dim(` (edge ${entry.integrationLatencyMs.toFixed(1)} ms)`);
  const why = entry.authorizerError ? c.dim(` ${entry.authorizerError}`) : '';
  return `${c.dim(new Date().toISOString().slice(11, 23))} ${colour(String(entry.status))} ${entry.method} ${entry.path} ${latency}${integration}${why} ${c.dim(entry.requestId)}`;
}

/** A child's log line; colour codes of its own (the identity emulator's logger) only on a terminal. */
export function functionLogLine(source: string, line: string, c: Palette): string {
  return `${c.magenta(source.padEnd(8))} ${c.dim(c.enabled ? line : stripVTControlCharacters(line))}`;
}
