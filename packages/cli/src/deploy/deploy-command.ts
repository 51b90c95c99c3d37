/**
 * `gatehouse deploy` / `destroy`: the project's API on AWS without a CDK app of its own — a thin
 * wrapper over the AWS CDK CLI running gatehouse's app (cdk-app.ts) — and, after a deploy, the web
 * app's config written from the stack's outputs. Projects with their own CDK app or an Amplify
 * backend deploy that instead (`gatehouse init` wires it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { asUsageError, type CliIo, processIo, UsageError } from '../cli/cli-io';
import { resolveStateDir, stateDirUsage } from '../cli/state-dir';
import { CDK_OUTPUTS_FILE, type CdkRun, cdkArguments, cdkEnvironment, resolveCdkCli } from './cdk-arguments';
import { synthSummary } from './synth-summary';

export const DEPLOY_USAGE = `Usage: gatehouse deploy|destroy|synth [options] [-- <cdk options>]

Deploys (or destroys) the project's API with the AWS CDK, for a project with no CDK app or Amplify
backend of its own. Credentials and region come from your AWS environment (AWS_PROFILE, SSO, …).
After a deploy, gatehouse-config.json for the web app is written from the stack's outputs.
synth needs no AWS account: it writes the cloud assembly to cdk.out/ (as cdk synth does), runs
cdk-nag's AwsSolutions checks, and prints the stack's resources.

  --config <file>   the project config (default gatehouse.config.ts); gatehouse.deploy.json beside
                    it sets this deployment's overrides (docs/DEPLOY.md)
  --stack <name>    the CloudFormation stack (default Gatehouse)
  --output <dir>    synth: the cloud assembly's folder (default cdk.out)
${stateDirUsage(20)}

Anything after -- goes to cdk as it is, e.g. -- --require-approval never --profile dev`;

export const WEB_CONFIG_FILE = 'gatehouse-config.json';

/** A synth never asks AWS anything: no version check, no telemetry, no instance metadata lookup. */
const OFFLINE = {
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** The built CDK app, through this package's own exports (Node's conditions: lib/cdk-app.js). */
const appFile = () => createRequire(import.meta.url).resolve('gatehouse/cdk-app');

export function deployCommand(action: CdkRun['action']) {
  return async (argv: string[], io: CliIo = processIo): Promise<number> => {
    const run = parseRun(action, argv, io.env);
    if (!existsSync(run.configFile)) {
      throw new UsageError(
        `no project config at ${run.configFile}: create one with npx gatehouse init, or name it with --config`,
      );
    }
    const cdk = resolveCdkCli(path.dirname(run.configFile));
    mkdirSync(run.stateDir, { recursive: true });
    const env = cdkEnvironment(run, io.env);
    const status = await spawnCdk(cdk, cdkArguments(run), action === 'synth' ? { ...env, ...OFFLINE } : env);
    if (status !== 0) {
      io.err(`gatehouse ${action}: cdk ${action} exited ${status}`);
      return 1;
    }
    if (action === 'deploy') io.out(`Web app config: ${await writeWebConfig(run)}`);
    if (action === 'synth') io.out(synthSummary(path.resolve(run.outputDir ?? 'cdk.out'), run.stackName));
    return 0;
  };
}

function parseRun(action: CdkRun['action'], argv: string[], env: CliIo['env']): CdkRun {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const extra = split === -1 ? [] : argv.slice(split + 1);
  let values: { config?: string; stack?: string; output?: string; 'state-dir'?: string };
  try {
    ({ values } = parseArgs({
      args: own,
      options: {
        config: { type: 'string' },
        stack: { type: 'string' },
        output: { type: 'string' },
        'state-dir': { type: 'string' },
      },
    }));
  } catch (error) {
    throw asUsageError(error);
  }
  const stackName = values.stack ?? 'Gatehouse';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new UsageError(
      `--stack must be a CloudFormation stack name (letters, digits, -), got ${JSON.stringify(stackName)}`,
    );
  }
  return {
    action,
    configFile: path.resolve(values.config ?? 'gatehouse.config.ts'),
    stackName,
    stateDir: resolveStateDir(values['state-dir'], env),
    appFile: appFile(),
    ...(values.output !== undefined ? { outputDir: path.resolve(values.output) } : {}),
    extra,
  };
}

function spawnCdk(cdk: string, args: string[], env: Record<string, string | undefined>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cdk, ...args], { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** The web app's config from the stack's outputs, the same reader `npm run deploy` uses in this repository. */
async function writeWebConfig(run: CdkRun): Promise<string> {
  const { webConfigFromOutputs } = await import('@gatehouse/cdk');
  const outputs = JSON.parse(readFileSync(path.join(run.stateDir, CDK_OUTPUTS_FILE), 'utf8'));
  const file = path.join(run.stateDir, WEB_CONFIG_FILE);
  writeFileSync(file, `${JSON.stringify(webConfigFromOutputs(outputs, run.stackName), null, 2)}\n`);
  return file;
}
