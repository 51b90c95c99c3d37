/**
 * `gatehouse dev`: starts the local stack with the developer's ports, prints the summary, streams a
 * line per request and the functions' logs, rebuilds and reloads on change, and on Ctrl-C or
 * SIGTERM stops every child and server before exiting.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigFileError, DEFAULT_CONFIG_FILE, type LoadedProjectConfig, loadProjectConfig } from '@gatehouse/bundler';
import type { AuthOption } from '@gatehouse/contract';
import { DEV_PORTS, type RunningStack, type StackPorts, signIn, startStack } from '@gatehouse/local';
import { missingPermission, missingPermissionAdvice } from './access-denied';
import { writeAmplifyOutputs } from './amplify-outputs';
import { AUTH_USAGE, authOptionFromFlags } from './auth-flags';
import { asUsageError, type CliIo, UsageError } from './cli-io';
import { colourWanted, palette } from './colors';
import { functionLogLine, type HowToCall, requestLine, summary } from './dev-output';
import { watchParent } from './parent-watch';
import { resolveStateDir, stateDirArgument, stateDirUsage } from './state-dir';
import { loadWebApp, WebAppMissingError } from './web-app';

export const DEV_USAGE = `Usage: gatehouse dev [options]

Starts identity, the Lambda service (edge + cores), the gateway and the web app on 127.0.0.1,
for the project that gatehouse.config.ts describes.
  --config FILE                the project config (default ./${DEFAULT_CONFIG_FILE})
  --port N, --gateway-port N   the HTTP API (default ${DEV_PORTS.gateway})
  --identity-port N            the Cognito-compatible identity service (default ${DEV_PORTS.identity})
  --lambda-port N              the Lambda Invoke API (default ${DEV_PORTS.lambda})
  --web-port N                 the Vite dev server (default ${DEV_PORTS.web})
  --no-web                     do not start the web app
  --origin URL                 also admit this origin (your own app, e.g. http://localhost:5174);
                               repeatable. Loopback origins in the config's origins are admitted too
  --no-watch                   do not rebuild and reload the Lambda bundles on change
  --node-threads               run each Node.js execution environment (edge, authorizer, Node
                               cores) as a worker thread instead of its own process: faster to
                               start and to reach, for local load tests; it shares the stack's
                               working directory, time zone and memory (docs/LOCAL.md)
${stateDirUsage(31)}
  --verbose                    also print the identity emulator's own log
${AUTH_USAGE}
Port 0 picks a free port. The web app signs in and sends an ID token: it works with cognito and
lambda email-allowlist (and none), not with api-key or iam.`;

export async function devCommand(argv: string[], io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const values = parse(argv);
  const c = palette(colourWanted({ isTTY: io.isTTY }, io.env));
  const ports: StackPorts = {
    identity: port(values['identity-port'], DEV_PORTS.identity, '--identity-port'),
    gateway: port(values['gateway-port'] ?? values.port, DEV_PORTS.gateway, '--gateway-port'),
    lambda: port(values['lambda-port'], DEV_PORTS.lambda, '--lambda-port'),
    web: port(values['web-port'], DEV_PORTS.web, '--web-port'),
  };
  // Flags are checked before anything is read: a usage error costs nothing. They win over the
  // config's `auth`, so any mode can be tried without editing the config.
  const flagged =
    values.auth !== undefined ||
    values['i-understand-this-is-public'] ||
    values.authorizer !== undefined ||
    values['allowed-emails'] !== undefined;
  const flagAuth = flagged ? authOptionFromFlags(values) : undefined;
  const project = await loadProjectConfig(values.config ?? DEFAULT_CONFIG_FILE).catch((error: unknown) => {
    throw values.config === undefined ? withScriptHint(error) : error;
  });
  const startWeb = values['no-web'] ? undefined : await webAppIfInstalled(io, c);
  const web = startWeb !== undefined;
  const stateDir = resolveStateDir(values['state-dir'], io.env);
  const launch = async (loaded: LoadedProjectConfig): Promise<RunningStack> => {
    const started = performance.now();
    const auth = flagAuth ?? loaded.resolved.auth;
    const stack = await startStack({
      config: loaded,
      ports,
      stateDir,
      auth,
      ...(values.origin ? { origins: values.origin } : {}),
      ...(startWeb ? { web: startWeb } : {}),
      watch: !values['no-watch'],
      ...(values['node-threads'] ? { nodeIsolation: 'thread' as const } : {}),
      onLog: (source, line) => {
        if (source !== 'identity' || values.verbose) io.out(functionLogLine(source, line, c));
        const denied = source === 'lambda' ? missingPermission(line) : undefined;
        if (denied) {
          const core = line.slice(0, line.indexOf(' ')).replace(`${loaded.resolved.name}-`, '');
          io.out(functionLogLine(source, missingPermissionAdvice(core, denied), c));
        }
      },
      onRequest: (entry) => io.out(requestLine(entry, c)),
      onProjectChange: (next, change) => restart(next, change.summary),
    });
    io.out(summary(stack.config, await howToCall(stack, auth, stateDir, io.env), web, c, loaded.resolved.routes));
    const outputs = writeAmplifyOutputs(stateDir, stack.config);
    io.out(c.dim(`  Your own Amplify app: load ${outputs} (amplify_outputs.json for this stack)`));
    if (values['node-threads']) {
      io.out(
        c.dim(
          '  Node.js functions run as worker threads (--node-threads): same env and heap limit, shared working directory and time zone — docs/LOCAL.md',
        ),
      );
    }
    io.out(c.dim(`  ready in ${((performance.now() - started) / 1000).toFixed(2)} s`));
    return stack;
  };
  let stack = await launch(project);
  let current = project;
  let stopping = false;
  // Restarts run one after another: an edit made while one is under way waits for it.
  let restarts = Promise.resolve();
  const restart = (next: LoadedProjectConfig, what: string) => {
    restarts = restarts.then(async () => {
      if (stopping) return;
      io.out(functionLogLine('config', `changed (${what}): restarting the local stack with it`, c));
      await stack.stop();
      try {
        stack = await launch(next);
        current = next;
      } catch (error) {
        io.out(functionLogLine('config', `could not start with the edited config: ${(error as Error).message}`, c));
        io.out(functionLogLine('config', 'the last good config runs again; fix the file and save it', c));
        stack = await launch(current);
      }
    });
  };

  let stopWatching = () => {};
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      io.out(c.dim(`\n${signal}: stopping the local stack…`));
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      stopWatching();
      resolve();
    };
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
    // `npm start` passes a SIGTERM to its shell, which dies without passing it on: a parent that
    // disappears is a stop request too, so the stack never lives on as an orphan holding ports.
    stopWatching = watchParent(() => onSignal('parent process exited'));
  });
  stopping = true;
  await restarts.catch(() => {});
  await stack.stop();
  io.out(c.dim('stopped.'));
  return 0;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        'gateway-port': { type: 'string' },
        'identity-port': { type: 'string' },
        'lambda-port': { type: 'string' },
        'web-port': { type: 'string' },
        'no-web': { type: 'boolean' },
        origin: { type: 'string', multiple: true },
        'no-watch': { type: 'boolean' },
        'node-threads': { type: 'boolean' },
        'state-dir': { type: 'string' },
        verbose: { type: 'boolean' },
        auth: { type: 'string' },
        authorizer: { type: 'string' },
        'allowed-emails': { type: 'string' },
        'i-understand-this-is-public': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw asUsageError(error);
  }
}

/**
 * The local web app when `@gatehouse/web` is installed; without it the stack runs for the
 * developer's own app (the adopter's usual case) and says how to add the bundled one.
 */
async function webAppIfInstalled(io: CliIo, c: ReturnType<typeof palette>) {
  try {
    return await loadWebApp();
  } catch (error) {
    if (!(error instanceof WebAppMissingError)) throw error;
    io.out(
      c.dim(
        '  The local web app (@gatehouse/web) is not installed: starting without it. ' +
          'For the sign-in page and route console: npm install -D @gatehouse/web',
      ),
    );
    return undefined;
  }
}

/**
 * No config here, but a package.json script that runs the stack with one (this repository's
 * `npm start`, or a project's own `dev:api`): say so, rather than only "run init".
 */
export function withScriptHint(error: unknown, dir = process.cwd()): unknown {
  const manifest = path.join(dir, 'package.json');
  if (!(error instanceof ConfigFileError) || !existsSync(manifest)) return error;
  let scripts: Record<string, unknown> = {};
  try {
    scripts = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return error;
  }
  const name = Object.keys(scripts).find((key) => /gatehouse(\.mjs)? dev\b.*--config/.test(String(scripts[key])));
  if (name === undefined) return error;
  const run = name === 'start' ? 'npm start' : `npm run ${name}`;
  return new ConfigFileError(`${error.message} This folder's ${run} runs gatehouse dev with its config.`, {
    cause: error,
  });
}

function port(value: string | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new UsageError(`${option} must be a port number (got ${value})`);
  return parsed;
}

async function howToCall(
  stack: RunningStack,
  auth: AuthOption,
  stateDir: string,
  env: CliIo['env'],
): Promise<HowToCall> {
  const { config, services } = stack;
  if (auth.mode === 'none') return { kind: 'public' };
  if (auth.mode === 'iam' && services.iam) return { kind: 'iam', ...services.iam };
  if (auth.mode === 'lambda' && auth.lambda.kind === 'api-key') {
    return {
      kind: 'api-key',
      keysCommand: `npx gatehouse keys add my-script --local${stateDirArgument(stateDir, env)}`,
    };
  }
  const { cognito, demoUser } = config;
  const idToken = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;
  const tokenCommand = `npx gatehouse token${stateDirArgument(stateDir, env)}`;
  if (auth.mode === 'lambda' && auth.lambda.kind === 'email-allowlist') {
    return {
      kind: 'token',
      label: `lambda authorizer, email allow-list (${auth.lambda.allowedEmails.join(', ')})`,
      idToken,
      tokenCommand,
      note: 'Admitted only if its email is on the list.',
    };
  }
  return { kind: 'token', label: 'cognito (API Gateway JWT authorizer)', idToken, tokenCommand };
}
