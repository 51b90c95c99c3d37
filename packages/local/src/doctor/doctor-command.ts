/**
 * `gatehouse doctor --url <route-url> [--origin O] [--token JWT]`: probes a deployed or local API for
 * the mistakes users meet, prints each check as PASS/FAIL/WARN/SKIP with the fix, and exits 0 when
 * nothing failed, 1 when something did, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { type CliIo, processIo } from '../cli/cli-io';
import { anyFailed, type CheckResult } from './check-result';
import { ExpectationsError, loadExpectations } from './expectations';
import { parseRouteUrl, RouteUrlError } from './route-url';
import { runDoctor } from './run-doctor';

export const DOCTOR_USAGE = `Usage: gatehouse doctor --url <route-url> [--origin <origin>] [--token <jwt>] [options]

Probes a deployed or local gatehouse API and explains what is wrong, with the fix.

  --url <url>          the route URL with its stage, e.g.
                       https://abc123.execute-api.eu-west-1.amazonaws.com/prod/inference
  --origin <origin>    your web app's origin, to check CORS (e.g. https://main.d1abc.amplifyapp.com)
  --token <jwt>        an ID token, to check it and make a real call (locally: "$(gatehouse token)")
  --config <file>      gatehouse-config.json or .gatehouse/local.json: the pool and client the API expects
  --issuer <url>       the issuer the API trusts (instead of --config)
  --client-id <id>     an app client id the API accepts (repeatable; instead of --config)
  --token-use <kind>   id (default) or access: the token the edge expects
  --timeout <ms>       per request (default 10000)

Exit status: 0 all checks passed, 1 some failed, 2 usage error.`;

const MARK: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

export async function doctorCommand(argv: string[], io: Pick<CliIo, 'out' | 'err'> = processIo): Promise<number> {
  let parsed: ReturnType<typeof parseDoctorArgs>;
  try {
    parsed = parseDoctorArgs(argv);
  } catch (error) {
    if (
      error instanceof RouteUrlError ||
      error instanceof ExpectationsError ||
      error instanceof DoctorUsageError ||
      isParseArgsError(error)
    ) {
      io.err(`gatehouse doctor: ${(error as Error).message}\n\n${DOCTOR_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (parsed === 'help') {
    io.out(DOCTOR_USAGE);
    return 0;
  }
  io.out(`gatehouse doctor  ${parsed.route.url.href}\n`);
  const results = await runDoctor(parsed);
  for (const result of results) io.out(formatResult(result));
  const counts = (['pass', 'fail', 'warn', 'skip'] as const).map(
    (s) =>
      `${results.filter((r) => r.status === s).length} ${s === 'pass' ? 'passed' : s === 'fail' ? 'failed' : s === 'warn' ? 'warnings' : 'skipped'}`,
  );
  io.out(counts.join(', '));
  return anyFailed(results) ? 1 : 0;
}

export function formatResult(result: CheckResult): string {
  const lines = [`${MARK[result.status]}  ${result.title}: ${result.summary}`];
  for (const detail of result.details ?? []) lines.push(`        ${detail}`);
  if (result.fix && result.status !== 'pass') lines.push(`      → ${result.fix}`);
  return `${lines.join('\n')}\n`;
}

class DoctorUsageError extends Error {
  override name = 'DoctorUsageError';
}

function parseDoctorArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      origin: { type: 'string' },
      token: { type: 'string' },
      config: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string', multiple: true },
      'token-use': { type: 'string' },
      timeout: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  if (!values.url) throw new DoctorUsageError('--url is required');
  const route = parseRouteUrl(values.url);
  const tokenUse = values['token-use'] ?? 'id';
  if (tokenUse !== 'id' && tokenUse !== 'access') throw new DoctorUsageError('--token-use must be id or access');
  const timeoutMs = Number(values.timeout ?? 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
    throw new DoctorUsageError('--timeout must be a whole number of milliseconds from 100 to 60000');
  }
  if (values.origin !== undefined) checkOrigin(values.origin);
  const expectations = loadExpectations({
    url: route.url,
    issuer: values.issuer,
    clientIds: values['client-id'] ?? [],
    tokenUse,
    configFile: values.config,
    stateDir: values['state-dir'] ?? '.gatehouse',
  });
  return { route, origin: values.origin, token: values.token, expectations, timeoutMs };
}

function checkOrigin(origin: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.origin !== origin) {
    throw new DoctorUsageError(
      `--origin "${origin}" is not an origin: write scheme://host[:port], no path or trailing slash`,
    );
  }
}

function isParseArgsError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown })?.code === 'string' &&
    (error as { code: string }).code.startsWith('ERR_PARSE_ARGS')
  );
}
