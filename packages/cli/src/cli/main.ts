/**
 * The `gatehouse` command: dispatches to `dev`, `invoke`, `token`, `keys` and `doctor`, prints usage, and
 * turns the errors a user can act on (a busy port, a bad option) into one clear line.
 */

import { ConfigFileError } from '@gatehouse/bundler';
import { ProjectConfigError } from '@gatehouse/contract';
import { LocalServicesError, PortInUseError, StackOriginError } from '@gatehouse/local';
import { CdkCliMissingError } from '../deploy/cdk-arguments';
import { DEPLOY_USAGE, deployCommand } from '../deploy/deploy-command';
import { DOCTOR_USAGE, doctorCommand } from '../doctor/doctor-command';
import { INIT_USAGE, initCommand } from '../init/init-command';
import { terminalAsk } from '../init/terminal-ask';
import { KEYS_USAGE, keysCommand } from '../keys';
import { type CliIo, processIo, UsageError } from './cli-io';
import { DEV_USAGE, devCommand } from './dev-command';
import { INVOKE_USAGE, invokeCommand } from './invoke-command';
import { TOKEN_USAGE, tokenCommand } from './token-command';
import { WebAppMissingError } from './web-app';

export const USAGE = `Usage: gatehouse <command> [options]

Commands:
  init     add gatehouse to the project in this folder (config, starter core, wiring)
  dev      start the local stack (identity, gateway, Lambda service, web app)   npm start
  invoke   run one core once (locally, or deployed with --remote) and print its answer and log
  token    print a fresh ID token from the running local stack, for curl
  keys     issue, list and revoke API keys for the Lambda authorizer
  doctor   probe a deployed or local API and explain what is wrong, with the fix
  synth    what deploy would create, offline: the cloud assembly in cdk.out/, cdk-nag, a resource table
  deploy   deploy the API with the AWS CDK (a project without its own CDK app); destroy removes it

Run gatehouse <command> --help for a command's options.

Every command finds the local stack's state directory the same way: --state-dir DIR, else the
GATEHOUSE_STATE_DIR environment variable, else ./.gatehouse in the current directory.
Exit status: 0 success, 1 failure, 2 usage error.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  init: { run: (argv, io) => initCommand(argv, io, io === processIo ? terminalAsk() : undefined), usage: INIT_USAGE },
  dev: { run: devCommand, usage: DEV_USAGE },
  invoke: { run: invokeCommand, usage: INVOKE_USAGE },
  token: { run: tokenCommand, usage: TOKEN_USAGE },
  keys: { run: keysCommand, usage: KEYS_USAGE },
  deploy: { run: deployCommand('deploy'), usage: DEPLOY_USAGE },
  destroy: { run: deployCommand('destroy'), usage: DEPLOY_USAGE },
  synth: { run: deployCommand('synth'), usage: DEPLOY_USAGE },
  doctor: { run: doctorCommand, usage: DOCTOR_USAGE },
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`gatehouse: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gatehouse ${name}: ${error.message}\n\n${command.usage}`);
      return error.exitCode;
    }
    if (
      error instanceof PortInUseError ||
      error instanceof StackOriginError ||
      error instanceof LocalServicesError ||
      error instanceof WebAppMissingError ||
      error instanceof CdkCliMissingError ||
      error instanceof ConfigFileError ||
      error instanceof ProjectConfigError
    ) {
      io.err(`gatehouse ${name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
