/**
 * What `gatehouse synth` prints after the CDK CLI has written the cloud assembly: the stack's
 * resources in a short table (how many of each type), its functions with runtime and memory, and
 * its outputs — what a deploy would create, read without an AWS account. cdk-nag's findings are
 * the synth's own: an unacknowledged one fails it, with the CDK CLI's message above this.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface TemplateResource {
  Type: string;
  Properties?: { Runtime?: string; MemorySize?: number; Handler?: string; Description?: string };
}

export function synthSummary(outputDir: string, stackName: string): string {
  const file = path.join(outputDir, `${stackName}.template.json`);
  const template = JSON.parse(readFileSync(file, 'utf8')) as {
    Resources?: Record<string, TemplateResource>;
    Outputs?: Record<string, unknown>;
  };
  const resources = Object.values(template.Resources ?? {});
  const counts = new Map<string, number>();
  for (const { Type } of resources) counts.set(Type, (counts.get(Type) ?? 0) + 1);
  const width = Math.max(...[...counts.keys()].map((type) => type.length), 8);
  const lines = [
    `Stack ${stackName}: ${resources.length} resources (${file})`,
    ...[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `  ${type.padEnd(width)}  ${count}`),
  ];
  const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function');
  if (functions.length > 0) {
    lines.push('Functions:');
    for (const fn of functions) {
      const p = fn.Properties ?? {};
      lines.push(
        `  ${(p.Description ?? '(no description)').slice(0, 60).padEnd(60)}  ${p.Runtime} ${p.MemorySize ?? 128} MB`,
      );
    }
  }
  const outputs = Object.keys(template.Outputs ?? {});
  if (outputs.length > 0) lines.push(`Outputs: ${outputs.join(', ')}`);
  lines.push('cdk-nag (AwsSolutions): no unacknowledged findings');
  return lines.join('\n');
}
