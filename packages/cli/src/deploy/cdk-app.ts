/**
 * The CDK app `gatehouse synth`, `deploy` and `destroy` hand the CDK CLI: gatehouse's one app
 * (`gatehouseApp` of @gatehouse/cdk, cdk-nag included) for the project whose config file and stack
 * name the command sets in the environment.
 */
import { gatehouseApp } from '@gatehouse/cdk';
import { DEPLOY_ENV } from './cdk-arguments';

const app = await gatehouseApp({
  configFile: process.env[DEPLOY_ENV.configFile] ?? 'gatehouse.config.ts',
  ...(process.env[DEPLOY_ENV.stackName] ? { stackName: process.env[DEPLOY_ENV.stackName] } : {}),
});
app.synth();
