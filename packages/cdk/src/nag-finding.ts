/**
 * cdk-nag's name for a resource in a granular finding (`AwsSolutions-IAM5[Resource::<name>]`), so an
 * acknowledgement can name the one wildcard it accepts instead of silencing the rule for the whole
 * policy. It mirrors cdk-nag's own flattening: `Ref` → `<Id>`, `GetAtt` → `<Id.Attr>`, joins inlined.
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function nagResourceFinding(scope: IConstruct, resource: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(resource))}`;
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [id, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(id)}.${flatten(attribute)}>`;
    }
    if ('Ref' in o) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
}
