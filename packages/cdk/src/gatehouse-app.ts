/**
 * The one gatehouse CDK app: one `GatehouseStack` built from a project config and this
 * deployment's settings (`gatehouse.deploy.json` beside the config, and `--context key=value`),
 * checked by cdk-nag's AwsSolutions pack on every synth. `gatehouse synth`, `gatehouse deploy` and
 * this repository's `npm run synth` / `deploy` all run it.
 *
 * @example
 * const app = await gatehouseApp({ configFile: 'gatehouse.config.ts' });
 * app.synth();
 */
import path from 'node:path';
import { loadProjectConfig } from '@gatehouse/bundler';
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEV_ORIGIN, readDeployConfig, toEnvironment, toStackProps } from './deploy-config';
import { GatehouseStack } from './gatehouse-stack';

export interface GatehouseAppOptions {
  /** The project's `gatehouse.config.ts`; `gatehouse.deploy.json` is looked for beside it. */
  readonly configFile: string;
  /** @default the deploy config's `stackName`, else `Gatehouse` */
  readonly stackName?: string;
  /** @default a new `App` (the CDK CLI's context and output folder come from its environment) */
  readonly app?: App;
}

/**
 * Feature flags the app always synthesises with: secrets never in plain template values, the
 * CloudFormation template validated against its default rules (a template error fails the synth,
 * not the deploy), and IAM policies minimized. `--context` can still set them.
 */
export const APP_CONTEXT = {
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
} as const;

export async function gatehouseApp(options: GatehouseAppOptions): Promise<App> {
  const app = options.app ?? new App({ context: { ...APP_CONTEXT } });
  const configFile = path.resolve(options.configFile);
  const config = readDeployConfig((key) => app.node.tryGetContext(key), path.dirname(configFile));
  const project = (await loadProjectConfig(configFile)).resolved;
  const stack = new GatehouseStack(app, options.stackName ?? config.stackName ?? 'Gatehouse', {
    env: toEnvironment(config),
    description: `gatehouse: ${project.name}`,
    ...toStackProps(config, project, configFile),
  });
  if (config.allowedOrigins === undefined && project.origins.length === 0) {
    Annotations.of(stack).addWarningV2(
      'gatehouse:dev-origin',
      `no origins are configured: only ${DEV_ORIGIN} may call the API from a browser. Set origins in the project ` +
        'config or allowedOrigins in gatehouse.deploy.json.',
    );
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}
