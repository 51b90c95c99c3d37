/**
 * `npm run deploy`: `cdk deploy` with the outputs written to cdk.out/outputs.json, then the web app's
 * gatehouse-config.json written from them. Extra arguments go to `cdk deploy`
 * (`npm run deploy -w @gatehouse/cdk -- -c userPoolId=eu-west-1_AbC…`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const OUTPUTS = 'cdk.out/outputs.json';
const env = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' };

const deploy = spawnSync(
  'npx',
  [
    'cdk',
    'deploy',
    '--all',
    '--require-approval',
    'broadening',
    '--no-notices',
    '--outputs-file',
    OUTPUTS,
    ...process.argv.slice(2),
  ],
  { cwd: infraDir, env, stdio: 'inherit' },
);
if (deploy.status !== 0) process.exit(deploy.status ?? 1);
const write = spawnSync('npx', ['tsx', 'scripts/write-web-config.ts', OUTPUTS], {
  cwd: infraDir,
  env,
  stdio: 'inherit',
});
process.exit(write.status ?? 1);
