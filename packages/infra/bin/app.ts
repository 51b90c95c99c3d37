/**
 * The gatehouse CDK app: one `GatehouseStack` configured from gatehouse.deploy.json and `--context`,
 * checked by cdk-nag's AwsSolutions pack on every synth.
 *
 * Usage: npm run synth | deploy | destroy  (see docs/DEPLOY.md)
 */
import { fileURLToPath } from 'node:url';
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEV_ORIGIN, readDeployConfig, toEnvironment, toGatehouseProps } from '../src/app-config';
import { GatehouseStack } from '../src/gatehouse-stack';

const app = new App();
const config = readDeployConfig((key) => app.node.tryGetContext(key), fileURLToPath(new URL('..', import.meta.url)));
const stack = new GatehouseStack(app, config.stackName ?? 'Gatehouse', {
  env: toEnvironment(config),
  description: 'gatehouse: Cognito-authorized HTTP API, edge and core Lambdas',
  gatehouse: toGatehouseProps(config),
  alarmTopicArn: config.alarmTopicArn,
});
if (config.allowedOrigins === undefined) {
  Annotations.of(stack).addWarningV2(
    'gatehouse:dev-origin',
    `allowedOrigins is not configured: only ${DEV_ORIGIN} may call the API from a browser. Set it in gatehouse.deploy.json.`,
  );
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
