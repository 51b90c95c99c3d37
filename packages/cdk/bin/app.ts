/**
 * The gatehouse CDK app: one `GatehouseStack` built from the project config (`gatehouse.config.ts`
 * beside cdk.json, or `--context project=<path>`; the repository's sample project without one) and
 * this deployment's settings (gatehouse.deploy.json and `--context`), checked by cdk-nag's
 * AwsSolutions pack on every synth.
 *
 * Usage: npm run synth | deploy | destroy  (see docs/DEPLOY.md)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProjectConfig } from '@gatehouse/bundler';
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEV_ORIGIN, readDeployConfig, toEnvironment, toStackProps } from '../app/deploy-config';
import { GatehouseStack } from '../src/gatehouse-stack';
import { SAMPLE_CONFIG_FILE } from '../src/sample-project';

const DEFAULT_PROJECT_FILE = 'gatehouse.config.ts';

const app = new App();
const baseDir = fileURLToPath(new URL('..', import.meta.url));
const config = readDeployConfig((key) => app.node.tryGetContext(key), baseDir);
const ownFile = path.resolve(baseDir, config.project ?? DEFAULT_PROJECT_FILE);
// Without a project of its own, this repository's app deploys the sample from its config file.
const projectFile = config.project !== undefined || existsSync(ownFile) ? ownFile : SAMPLE_CONFIG_FILE;
const project = (await loadProjectConfig(projectFile)).resolved;
const stack = new GatehouseStack(app, config.stackName ?? 'Gatehouse', {
  env: toEnvironment(config),
  description: 'gatehouse: HTTP API with an authorizer, edge and core Lambdas',
  ...toStackProps(config, project, projectFile),
});
if (config.allowedOrigins === undefined && project.origins.length === 0) {
  Annotations.of(stack).addWarningV2(
    'gatehouse:dev-origin',
    `no origins are configured: only ${DEV_ORIGIN} may call the API from a browser. Set origins in the project ` +
      'config or allowedOrigins in gatehouse.deploy.json.',
  );
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
