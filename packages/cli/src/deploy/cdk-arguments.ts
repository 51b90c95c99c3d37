/**
 * What `gatehouse deploy` and `destroy` hand the AWS CDK CLI: the bundled app (cdk-app.ts) run by
 * this Node, the stack, an outputs file the web config is written from, and whatever the user adds
 * after `--` — so the CDK's own options (`--profile`, `--require-approval`, `-c`) keep working.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export const DEPLOY_ENV = { configFile: 'GATEHOUSE_CONFIG_FILE', stackName: 'GATEHOUSE_STACK_NAME' } as const;

export const CDK_OUTPUTS_FILE = 'cdk-outputs.json';

export interface CdkRun {
  action: 'deploy' | 'destroy' | 'synth';
  /** The project's `gatehouse.config.ts`. */
  configFile: string;
  stackName: string;
  stateDir: string;
  /** The built CDK app (lib/cdk-app.js beside this package's lib/index.js). */
  appFile: string;
  /** `synth`: the cloud assembly's folder. */
  outputDir?: string;
  extra: readonly string[];
}

export class CdkCliMissingError extends Error {
  override name = 'CdkCliMissingError';
  constructor(cause: unknown) {
    super(
      'the AWS CDK CLI is not installed in this project: npm install -D aws-cdk@2.1148.1 (a 2.1xxx version; ' +
        'its latest tag is a stray 3.0.0 that cannot read current cloud assemblies)',
      { cause },
    );
  }
}

/** The `cdk` CLI's entry, from the project's own node_modules. */
export function resolveCdkCli(projectDir: string): string {
  try {
    const manifest = createRequire(path.join(projectDir, 'package.json')).resolve('aws-cdk/package.json');
    return path.join(path.dirname(manifest), 'bin', 'cdk');
  } catch (error) {
    throw new CdkCliMissingError(error);
  }
}

export function cdkArguments(run: CdkRun): string[] {
  // The app runs in a Node started as this one was: in this repository that carries the loader and
  // conditions that run TypeScript sources (`--import tsx --conditions=@gatehouse/source`).
  const node = [process.execPath, ...process.execArgv, run.appFile].map(shellWord).join(' ');
  const common = ['--app', node, '--no-notices'];
  if (run.action === 'deploy') {
    return [
      'deploy',
      run.stackName,
      ...common,
      '--outputs-file',
      path.join(run.stateDir, CDK_OUTPUTS_FILE),
      ...run.extra,
    ];
  }
  if (run.action === 'synth') {
    // As `cdk synth` leaves it: the cloud assembly in the project's cdk.out/, offline.
    return ['synth', run.stackName, ...common, '--quiet', '--output', run.outputDir ?? 'cdk.out', ...run.extra];
  }
  return ['destroy', run.stackName, ...common, ...run.extra];
}

export function cdkEnvironment(
  run: CdkRun,
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return {
    ...env,
    [DEPLOY_ENV.configFile]: path.resolve(run.configFile),
    [DEPLOY_ENV.stackName]: run.stackName,
    CDK_DISABLE_CLI_TELEMETRY: env.CDK_DISABLE_CLI_TELEMETRY ?? 'true',
  };
}

/** A word of the app's command line, quoted only when it must be (the CDK CLI runs it through a shell). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word);
}
