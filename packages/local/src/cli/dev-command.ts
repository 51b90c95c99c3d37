/**
 * `gatehouse dev`: starts the local stack with the developer's ports, prints the summary, streams a
 * line per request and the functions' logs, rebuilds and reloads on change, and on Ctrl-C or
 * SIGTERM stops every child and server before exiting.
 */
import { parseArgs } from 'node:util';
import { signIn } from '../identity';
import { DEV_PORTS, type StackPorts, startStack } from '../stack';
import { type CliIo, UsageError } from './cli-io';
import { colourWanted, palette } from './colors';
import { functionLogLine, requestLine, summary } from './dev-output';
import { defaultStateDir } from './state-dir';

export const DEV_USAGE = `Usage: gatehouse dev [options]

Starts identity, the Lambda service (edge + core), the gateway and the web app on 127.0.0.1.
  --port N, --gateway-port N   the HTTP API (default ${DEV_PORTS.gateway})
  --identity-port N            the Cognito-compatible identity service (default ${DEV_PORTS.identity})
  --lambda-port N              the Lambda Invoke API (default ${DEV_PORTS.lambda})
  --web-port N                 the Vite dev server (default ${DEV_PORTS.web})
  --no-web                     do not start the web app
  --no-watch                   do not rebuild and reload the Lambda bundles on change
  --state-dir DIR              local.json and the identity store (default <repo>/.gatehouse)
  --verbose                    also print the identity emulator's own log
Port 0 picks a free port.`;

export async function devCommand(argv: string[], io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const values = parse(argv);
  const c = palette(colourWanted({ isTTY: io.isTTY }, io.env));
  const ports: StackPorts = {
    identity: port(values['identity-port'], DEV_PORTS.identity, '--identity-port'),
    gateway: port(values['gateway-port'] ?? values.port, DEV_PORTS.gateway, '--gateway-port'),
    lambda: port(values['lambda-port'], DEV_PORTS.lambda, '--lambda-port'),
    web: port(values['web-port'], DEV_PORTS.web, '--web-port'),
  };
  const web = !values['no-web'];
  const started = performance.now();
  const stack = await startStack({
    ports,
    stateDir: values['state-dir'] ?? defaultStateDir(),
    web,
    watch: !values['no-watch'],
    onLog: (source, line) => {
      if (source !== 'identity' || values.verbose) io.out(functionLogLine(source, line, c));
    },
    onRequest: (entry) => io.out(requestLine(entry, c)),
  });
  const { config } = stack;
  const tokens = await signIn(
    config.cognito.endpoint,
    config.cognito.clientId,
    config.demoUser.username,
    config.demoUser.password,
  );
  io.out(summary(config, tokens.IdToken, web, c));
  io.out(c.dim(`  ready in ${((performance.now() - started) / 1000).toFixed(2)} s`));

  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      io.out(c.dim(`\n${signal}: stopping the local stack…`));
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      resolve();
    };
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
  });
  await stack.stop();
  io.out(c.dim('stopped.'));
  return 0;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'gateway-port': { type: 'string' },
        'identity-port': { type: 'string' },
        'lambda-port': { type: 'string' },
        'web-port': { type: 'string' },
        'no-web': { type: 'boolean' },
        'no-watch': { type: 'boolean' },
        'state-dir': { type: 'string' },
        verbose: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function port(value: string | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new UsageError(`${option} must be a port number (got ${value})`);
  return parsed;
}
