/**
 * The CDK app `gatehouse deploy` runs for a project without one of its own: one `GatehouseStack`
 * built from the project's config (the file and stack name come from the environment the deploy
 * command sets), in the account and region of the caller's AWS credentials.
 */
import { loadProjectConfig } from '@gatehouse/bundler';
import { GatehouseStack } from '@gatehouse/cdk';
import { App } from 'aws-cdk-lib';
import { DEPLOY_ENV } from './cdk-arguments';

const configFile = process.env[DEPLOY_ENV.configFile] ?? 'gatehouse.config.ts';
const project = await loadProjectConfig(configFile);
const app = new App();
new GatehouseStack(app, process.env[DEPLOY_ENV.stackName] ?? 'Gatehouse', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `gatehouse: ${project.resolved.name}`,
  gatehouse: { project: project.resolved, configFile: project.file },
});
app.synth();
