/**
 * How the API joins a project that already has a backend. Amplify Gen 2: lines added to
 * `amplify/backend.ts` that create the API in its own stack (`backend.createStack`), trust the app's
 * own user pool and client, and publish the API URL in `amplify_outputs.json` (`custom`). CDK: a
 * stack file the app's entry point adds. Both load `gatehouse.config.ts` from the project's root (the
 * folder `ampx` and `cdk` run in), so the routes and cores
 * deployed are the ones `gatehouse dev` runs.
 */

/** Marks the added block, so a second `gatehouse init` finds it and changes nothing. */
export const AMPLIFY_MARKER = '// gatehouse: the HTTP API';

const AMPLIFY_IMPORTS = ["import { GatehouseApi, loadProjectConfig } from '@gatehouse/cdk';"];

const AMPLIFY_BLOCK = `
${AMPLIFY_MARKER}, its edge and core in their own stack, trusting this app's user pool and client.
// ampx runs in the project's root, where gatehouse.config.ts is.
const gatehouseConfigFile = 'gatehouse.config.ts';
const gatehouse = new GatehouseApi(backend.createStack('gatehouse'), 'Gatehouse', {
  project: (await loadProjectConfig(gatehouseConfigFile)).resolved,
  configFile: gatehouseConfigFile,
  userPool: backend.auth.resources.userPool,
  userPoolClients: [backend.auth.resources.userPoolClient],
});
backend.addOutput({ custom: { gatehouseApiUrl: gatehouse.apiUrl } });
`;

export class BackendShapeError extends Error {
  override name = 'BackendShapeError';
}

/** `backend.ts` with the API added; the same text when it is there already. */
export function wireAmplifyBackend(source: string): string {
  if (source.includes(AMPLIFY_MARKER)) return source;
  // Amplify's own template calls defineBackend without keeping the result; the added lines need it.
  const named = /\bconst\s+backend\s*=/.test(source)
    ? source
    : source.replace(/^defineBackend\s*\(/m, 'const backend = defineBackend(');
  if (!/\bdefineBackend\s*\(/.test(named) || !/\bconst\s+backend\s*=/.test(named)) {
    throw new BackendShapeError(
      'amplify/backend.ts has no `const backend = defineBackend({ … })`: add the lines printed below by hand',
    );
  }
  const lines = named.split('\n');
  const missing = AMPLIFY_IMPORTS.filter((line) => !named.includes(line));
  // After the last import, so the file keeps its imports together.
  let lastImport = -1;
  lines.forEach((line, index) => {
    if (/^import\s/.test(line) || (lastImport === index - 1 && /^\s*(\}|[\w{},\s]+)\s*from\s/.test(line))) {
      lastImport = index;
    }
  });
  lines.splice(lastImport + 1, 0, ...missing);
  return `${lines.join('\n').replace(/\n*$/, '\n')}${AMPLIFY_BLOCK}`;
}

/** The lines to add by hand when `backend.ts` is not the shape `wireAmplifyBackend` edits. */
export function amplifyLines(): string {
  return `${AMPLIFY_IMPORTS.join('\n')}\n${AMPLIFY_BLOCK}`;
}

export const CDK_STACK_FILE = 'gatehouse-stack.ts';

export const CDK_STACK = `/**
 * The gatehouse API as a stack of this CDK app: the routes and cores of gatehouse.config.ts, a new
 * Cognito user pool (pass \`userPool\` and \`userPoolClients\` to use yours). Add it in the app's entry:
 *
 *   await addGatehouseStack(app);
 */
import { GatehouseApi, loadProjectConfig } from '@gatehouse/cdk';
import { type App, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';

export async function addGatehouseStack(app: App, id = 'Gatehouse', props: StackProps = {}): Promise<Stack> {
  // cdk runs the app in the project's root, where gatehouse.config.ts is.
  const configFile = 'gatehouse.config.ts';
  const stack = new Stack(app, id, props);
  const api = new GatehouseApi(stack, 'Api', {
    project: (await loadProjectConfig(configFile)).resolved,
    configFile,
  });
  new CfnOutput(stack, 'ApiUrl', { value: api.apiUrl });
  return stack;
}
`;
