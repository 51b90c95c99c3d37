/**
 * An AWS AccessDenied in a core's output, turned into the permission the core lacks and the
 * config line that grants it. AWS's message names the caller, the action and the resource
 * ("User: arn:aws:sts::…:assumed-role/<role>/<session> is not authorized to perform: bedrock:InvokeModel
 * on resource: arn:…"), in boto3's and the JS SDK's errors alike.
 */

export interface MissingPermission {
  action: string;
  resource: string | undefined;
}

const NOT_AUTHORIZED =
  /is not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9]+)(?: on resource: (?:"([^"]+)"|(arn:[^\s"',]+)))?/;

export function missingPermission(text: string): MissingPermission | undefined {
  const match = NOT_AUTHORIZED.exec(text);
  if (!match?.[1]) return undefined;
  return { action: match[1], resource: match[2] ?? match[3] };
}

/** One line: what is missing and what to add to the core's config. */
export function missingPermissionAdvice(core: string, missing: MissingPermission): string {
  const resource = missing.resource ?? '<resource ARN>';
  return (
    `the core lacks permission ${missing.action}${missing.resource ? ` on ${missing.resource}` : ''}: add ` +
    `{ actions: ['${missing.action}'], resources: ['${resource}'] } to cores.${core}.permissions and deploy ` +
    `(locally it fails the same way with credentials: { assumeRole: 'deployed' })`
  );
}
