/**
 * The files `gatehouse init` writes for every kind of project: `gatehouse.config.ts` with one route
 * and one core, and that core's starter code in the chosen runtime. The core answers with the
 * input it was given and who called, so the first call through the local stack shows the whole
 * path working: token → gateway → edge → core.
 */
import type { CoreRuntime } from '@gatehouse/contract';

export const INIT_RUNTIMES = ['nodejs22.x', 'python3.12', 'python3.13', 'provided.al2023'] as const;
export type InitRuntime = (typeof INIT_RUNTIMES)[number] & CoreRuntime;

export interface StarterOptions {
  /** The API's name (letters, digits and -, starting with a letter). */
  name: string;
  runtime: InitRuntime;
  /** On AWS, call this existing function instead of deploying the starter core. */
  coreArn: string | undefined;
  origins: readonly string[];
}

export const CONFIG_FILE = 'gatehouse.config.ts';
/** Vite's dev server, where a React app runs while it is developed. */
export const LOCAL_DEV_ORIGIN = 'http://localhost:5173';
export const ROUTE = 'POST /hello';

export function configFile(options: StarterOptions): string {
  const core = [
    `      runtime: '${options.runtime}',`,
    "      code: './core',",
    `      handler: '${handlerOf(options.runtime)}',`,
    ...(options.coreArn
      ? [
          '      // On AWS the route calls this function; locally the starter code above runs.',
          `      existing: '${options.coreArn}',`,
        ]
      : []),
  ];
  return [
    "import { defineConfig } from 'gatehouse';",
    "import * as z from 'zod/mini';",
    '',
    'export default defineConfig({',
    `  name: '${options.name}',`,
    '  routes: {',
    `    '${ROUTE}': {`,
    "      core: 'hello',",
    '      // The edge checks every body with this before the core runs (any Standard Schema validator).',
    '      schema: z.object({ name: z.string().check(z.minLength(1), z.maxLength(100)) }),',
    "      description: 'Says hello to the signed-in caller.',",
    "      example: { name: 'world' },",
    '    },',
    '  },',
    '  cores: {',
    '    hello: {',
    ...core,
    '    },',
    '  },',
    "  // Your web app's origins. Locally the stack admits the loopback ones (your app in development);",
    '  // deployed, the API admits them all — drop the localhost one when production must not accept it.',
    `  origins: [${options.origins.map((origin) => `'${origin}'`).join(', ')}],`,
    '});',
    '',
  ].join('\n');
}

function handlerOf(runtime: InitRuntime): string {
  return runtime === 'provided.al2023' ? 'hello' : 'handler.handler';
}

/** The starter core: file name (under `core/`) → contents, and which of them must be executable. */
export function starterCore(runtime: InitRuntime): { files: Record<string, string>; executable: string[] } {
  switch (runtime) {
    case 'python3.12':
    case 'python3.13':
      return { files: { 'handler.py': PYTHON_CORE }, executable: [] };
    case 'nodejs22.x':
      return { files: { 'handler.mjs': NODE_CORE }, executable: [] };
    case 'provided.al2023':
      return { files: { bootstrap: PROVIDED_CORE }, executable: ['bootstrap'] };
  }
}

const PYTHON_CORE = `"""The core: business logic only. The edge has checked the caller and the body before this runs."""


def handler(event, context):
    name = event["input"].get("name", "world")
    return {"message": f"Hello, {name}!", "caller": event["identity"]["email"]}
`;

const NODE_CORE = `// The core: business logic only. The edge has checked the caller and the body before this runs.
export const handler = async (event) => {
  const name = event.input?.name ?? 'world';
  return { message: \`Hello, \${name}!\`, caller: event.identity.email };
};
`;

// A custom runtime speaks the Lambda Runtime API itself. Bash and curl are in the provided.al2023
// image (AWS's own custom-runtime tutorial uses them); replace it with a binary built in any language.
const PROVIDED_CORE = `#!/bin/bash
# The core as a custom runtime (provided.al2023): it polls the Lambda Runtime API for events.
set -euo pipefail
BASE="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -D "$HEADERS" "$BASE/invocation/next")"
  REQUEST_ID="$(grep -i '^lambda-runtime-aws-request-id:' "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)"
  rm -f "$HEADERS"
  curl -sS -o /dev/null -X POST "$BASE/invocation/$REQUEST_ID/response" \\
    -d "{\\"message\\":\\"Hello from a custom runtime\\",\\"event\\":$EVENT}"
done
`;
