/**
 * What `gatehouse dev` prints: the summary box once the stack is up, one line per request the
 * gateway answers, and the functions' own log lines.
 */
import type { GatewayLogEntry } from '../gateway';
import type { LocalConfig } from '../stack';
import type { Palette } from './colors';

export const SAMPLE_BODY = '{"partner":"Acme Corp","year":2024,"period":"Q3","question":"What was the revenue?"}';

export function summary(config: LocalConfig, idToken: string, web: boolean, c: Palette): string {
  const curl = [
    `curl -sS -X POST '${config.apiUrl}/inference'`,
    `  -H 'content-type: application/json'`,
    `  -H 'authorization: Bearer ${idToken}'`,
    `  -d '${SAMPLE_BODY}'`,
  ].join(' \\\n');
  const rows: Array<[string, string]> = [
    ['API', `POST ${config.apiUrl}/inference`],
    ...(web ? ([['Web app', config.webUrl]] as Array<[string, string]>) : []),
    ['Identity', `${config.cognito.endpoint}  (pool ${config.cognito.userPoolId}, client ${config.cognito.clientId})`],
    ['Lambda', `${config.lambdaEndpoint}  (Invoke API)`],
    ['Demo user', `${config.demoUser.username} / ${config.demoUser.password}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${c.bold(label.padEnd(width))}  ${value}`);
  const rule = c.dim('─'.repeat(72));
  return [
    rule,
    `  ${c.green(c.bold('gatehouse local stack is ready'))}`,
    ...lines,
    '',
    `  ${c.bold('Try it')} ${c.dim("(the demo user's ID token, valid 1 h; a fresh one: npx gatehouse token)")}`,
    ...curl.split('\n').map((line) => `  ${c.cyan(line)}`),
    '',
    `  ${c.dim('Ctrl-C stops everything; the identity store (.cognito/ in the state directory) is kept.')}`,
    rule,
  ].join('\n');
}

export function requestLine(entry: GatewayLogEntry, c: Palette): string {
  const colour = entry.status >= 500 ? c.red : entry.status >= 400 ? c.yellow : c.green;
  const latency = `${entry.latencyMs.toFixed(1)} ms`;
  const integration =
    entry.integrationLatencyMs === undefined ? '' : c.dim(` (edge ${entry.integrationLatencyMs.toFixed(1)} ms)`);
  const why = entry.authorizerError ? c.dim(` ${entry.authorizerError}`) : '';
  return `${c.dim(new Date().toISOString().slice(11, 23))} ${colour(String(entry.status))} ${entry.method} ${entry.path} ${latency}${integration}${why} ${c.dim(entry.requestId)}`;
}

export function functionLogLine(source: string, line: string, c: Palette): string {
  return `${c.magenta(source.padEnd(8))} ${c.dim(line)}`;
}
