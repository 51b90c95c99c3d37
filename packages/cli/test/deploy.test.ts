/**
 * `gatehouse deploy` / `destroy` without AWS: the arguments handed to the CDK CLI, and the
 * messages for what stops a deploy before it reaches an account (no config, no CDK CLI, a bad
 * stack name). No account is reachable here, so nothing is deployed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/cli-io';
import { main } from '../src/cli/main';
import { cdkArguments, cdkEnvironment, resolveCdkCli } from '../src/deploy/cdk-arguments';

const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const RUN = {
  configFile: '/work/app/gatehouse.config.ts',
  stackName: 'Orders',
  stateDir: '/work/app/.gatehouse',
  appFile: '/work/app/node_modules/gatehouse/lib/cdk-app.js',
  extra: ['--profile', 'dev'],
};

async function gatehouse(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The app's command line: this Node, started as this process was, then the built app. */
const APP = [process.execPath, ...process.execArgv, '/work/app/node_modules/gatehouse/lib/cdk-app.js']
  .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word)))
  .join(' ');

describe('the CDK command line', () => {
  it('deploys the named stack with gatehouse’s app run by this Node, its outputs in the state directory, then the extra options', () => {
    expect(cdkArguments({ action: 'deploy', ...RUN })).toEqual([
      'deploy',
      'Orders',
      '--app',
      APP,
      '--no-notices',
      '--outputs-file',
      '/work/app/.gatehouse/cdk-outputs.json',
      '--profile',
      'dev',
    ]);
    expect(cdkArguments({ action: 'destroy', ...RUN })).toEqual([
      'destroy',
      'Orders',
      '--app',
      APP,
      '--no-notices',
      '--profile',
      'dev',
    ]);
    expect(cdkArguments({ action: 'synth', ...RUN, outputDir: '/work/app/cdk.out' })).toEqual([
      'synth',
      'Orders',
      '--app',
      APP,
      '--no-notices',
      '--quiet',
      '--output',
      '/work/app/cdk.out',
      '--profile',
      'dev',
    ]);
  });

  it('tells the app which config and stack, and keeps the caller’s environment (credentials, profile)', () => {
    const env = cdkEnvironment({ action: 'deploy', ...RUN }, { AWS_PROFILE: 'dev' });
    expect(env).toMatchObject({
      AWS_PROFILE: 'dev',
      GATEHOUSE_CONFIG_FILE: '/work/app/gatehouse.config.ts',
      GATEHOUSE_STACK_NAME: 'Orders',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    });
  });

  it('finds the project’s own cdk CLI, and names the version to install when there is none', () => {
    const repo = path.resolve('.');
    expect(resolveCdkCli(repo)).toMatch(/node_modules\/aws-cdk\/bin\/cdk$/);
    expect(() => resolveCdkCli(scratch)).toThrow(/npm install -D aws-cdk@2\.1148\.1 \(a 2\.1xxx version/);
  });
});

describe('gatehouse deploy and destroy', () => {
  it('refuses a missing config and a bad stack name with the usage, exit 2', async () => {
    const missing = await gatehouse('deploy', '--config', path.join(scratch, 'none.config.ts'));
    const badStack = await gatehouse('destroy', '--stack', 'my_stack!');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no project config at');
    expect(missing.err).toContain('Usage: gatehouse deploy|destroy');
    expect(badStack.code).toBe(2);
    expect(badStack.err).toContain('--stack must be a CloudFormation stack name');
  });

  it('says how to install the CDK CLI when the project has none, in one line, exit 1', async () => {
    const config = path.join(scratch, 'gatehouse.config.ts');
    writeFileSync(config, 'export default {};\n');
    const result = await gatehouse('deploy', '--config', config, '--state-dir', path.join(scratch, '.gatehouse'));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^gatehouse deploy: the AWS CDK CLI is not installed in this project: npm install -D aws-cdk@2\.1148\.1/,
    );
  });
});
