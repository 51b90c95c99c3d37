/**
 * Synthesises a stack the way `cdk synth` does — cdk-nag's AwsSolutions pack and aws-cdk-lib's
 * template validator both run, and either one's error fails the synth — but without bundling the
 * Lambda assets, which the template tests do not need.
 */
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

export const ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/** The feature flag the gatehouse app sets too (APP_CONTEXT): the template validator's findings fail the synth. */
export const STRICT_VALIDATION = { '@aws-cdk/core:validateAgainstDefaultRules': true } as const;

export function testApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [], ...STRICT_VALIDATION } });
}

/** Synthesises the app with nag and returns each named stack's template. */
export function synthChecked(app: App, stacks: readonly Stack[]): Template[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  return stacks.map((s) => Template.fromJSON(assembly.getStackArtifact(s.artifactId).template));
}
