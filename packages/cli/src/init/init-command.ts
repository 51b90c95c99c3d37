/**
 * `gatehouse init`: adds gatehouse to the project in the current folder — `gatehouse.config.ts`, a
 * starter core in the chosen runtime, and the wiring its kind of project needs (see wiring.ts) —
 * then prints the next two commands. Flags answer every question; on a terminal it asks the rest.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_DEFAULTS, parseAllowedOrigins } from '@gatehouse/contract';
import { DEV_PORTS } from '@gatehouse/local';
import { asUsageError, type CliIo, processIo, UsageError } from '../cli/cli-io';
import { AMPLIFY_BACKEND_FILE, describeProjectKind, detectProjectKind, type ProjectKind } from './project-kind';
import {
  CONFIG_FILE,
  configFile,
  INIT_RUNTIMES,
  type InitRuntime,
  LOCAL_DEV_ORIGIN,
  ROUTE,
  starterCore,
} from './starter-files';
import { BackendShapeError, CDK_STACK, CDK_STACK_FILE, wireAmplifyBackend } from './wiring';
import { applyPlan, type PlannedFile } from './write-plan';

export const INIT_USAGE = `Usage: gatehouse init [options]

Adds gatehouse to the project in the current folder: gatehouse.config.ts, a starter core in core/,
and, for an Amplify Gen 2 backend (amplify/backend.ts), the lines that add the API to it, or, for a
CDK app (cdk.json), a stack file. An existing file is never overwritten without --force; running
init twice changes nothing.

  --runtime <runtime>   the core's runtime: ${INIT_RUNTIMES.join(', ')} (default python3.12)
  --core-arn <arn>      on AWS, call this existing function instead of deploying the starter core
  --origins <list>      your deployed web app's origins, comma-separated (e.g. https://app.example.com);
                        http://localhost:5173 (Vite's dev server) is always added
  --name <name>         the API's name (default the folder's name)
  --dir <folder>        the project folder (default the current one)
  --yes, -y             take the defaults for every question not answered by a flag
  --force               overwrite files that differ from what init writes`;

/** Asks one question on the terminal; the default is taken on an empty answer. */
export type Ask = (question: string, fallback: string) => Promise<string>;

export async function initCommand(argv: string[], io: CliIo = processIo, ask?: Ask): Promise<number> {
  const { values } = parse(argv);
  const dir = path.resolve(values.dir ?? '.');
  if (!existsSync(dir)) throw new UsageError(`--dir ${dir} does not exist`);
  if (!values.yes && !ask) {
    throw new UsageError('not a terminal, so nothing can be asked: pass --yes to take the defaults, or the flags');
  }
  const answer = async (given: string | undefined, question: string, fallback: string) =>
    given ?? (values.yes || !ask ? fallback : await ask(question, fallback));

  const kind = detectProjectKind(dir);
  const runtime = checkRuntime(
    await answer(values.runtime, `Core runtime (${INIT_RUNTIMES.join(', ')})`, 'python3.12'),
  );
  const origins = checkOrigins(await answer(values.origins, "Your web app's origins, comma-separated", ''));
  const name = checkName(values.name ?? folderName(dir));
  const coreArn = values['core-arn'];
  if (coreArn !== undefined && !/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(coreArn)) {
    throw new UsageError(`--core-arn must be a Lambda function ARN (got ${JSON.stringify(coreArn)})`);
  }

  let files: PlannedFile[];
  try {
    files = plan(dir, kind, { name, runtime, coreArn, origins: withLocalDevOrigin(origins) });
  } catch (error) {
    if (!(error instanceof BackendShapeError)) throw error;
    io.err(`gatehouse init: ${error.message}`);
    return 1;
  }
  io.out(`gatehouse init: ${describeProjectKind(kind)}, core in ${runtime}`);
  const result = applyPlan(dir, files, values.force === true);
  for (const { file, outcome } of result.outcomes) io.out(`  ${outcome.padEnd(9)} ${file}`);
  if (result.outcomes.some(({ outcome }) => outcome === 'outside')) {
    io.err(
      'gatehouse init: nothing written — the files marked outside are symbolic links (or inside one) that lead out of the project folder; init never writes through them, --force included. Remove the links and run again',
    );
    return 1;
  }
  if (result.refused) {
    io.err(
      'gatehouse init: nothing written — the files marked conflict exist with other contents; run again with --force to overwrite them',
    );
    return 1;
  }
  io.out(`\nNext:\n${nextCommands(kind).join('\n')}`);
  return 0;
}

function plan(dir: string, kind: ProjectKind, options: Parameters<typeof configFile>[0]): PlannedFile[] {
  const core = starterCore(options.runtime);
  const files: PlannedFile[] = [
    { file: CONFIG_FILE, contents: configFile(options) },
    ...Object.entries(core.files).map(([file, contents]) => ({
      file: path.join('core', file),
      contents,
      executable: core.executable.includes(file),
    })),
  ];
  files.push({ file: '.gitignore', contents: gitignoreWithState(dir), edit: true });
  if (kind === 'amplify-gen2') {
    const backend = readFileSync(path.join(dir, AMPLIFY_BACKEND_FILE), 'utf8');
    // Init's own edit of backend.ts is never a conflict: it only adds, and only once.
    files.push({ file: AMPLIFY_BACKEND_FILE, contents: wireAmplifyBackend(backend), edit: true });
  }
  if (kind === 'cdk') {
    const stackDir = existsSync(path.join(dir, 'lib')) ? 'lib' : '.';
    files.push({ file: path.join(stackDir, CDK_STACK_FILE), contents: CDK_STACK });
  }
  return files;
}

/**
 * What to run next, exactly as it runs in the project just made (a test runs these lines): the
 * local stack, then a call to the starter route at the URL `gatehouse dev` serves it on by default.
 */
export function nextCommands(kind: ProjectKind): string[] {
  const [method = 'POST', route = '/'] = ROUTE.split(' ');
  const url = `http://127.0.0.1:${DEV_PORTS.gateway}/${PROJECT_DEFAULTS.stage}${route}`;
  const deploy = {
    'amplify-gen2':
      'npx ampx sandbox          # deploys it with your Amplify backend; the URL is custom.gatehouseApiUrl',
    cdk: `npx cdk deploy Gatehouse  # after adding \`await addGatehouseStack(app)\` to your app's entry (${CDK_STACK_FILE})`,
    none: 'npx gatehouse deploy      # deploys it to your AWS account with the CDK',
  }[kind];
  return [
    '  npx gatehouse dev         # the local stack on 127.0.0.1; leave it running, then in another terminal:',
    `  curl -X ${method} ${url} -H "authorization: Bearer $(npx gatehouse token)" -H 'content-type: application/json' -d '{"name":"you"}'`,
    `  ${deploy}`,
  ];
}

/**
 * Vite's dev server origin beside the deployed ones, as the seed project does: the app run locally
 * signs in against the local stack (which admits loopback origins from this list) and can call the
 * deployed API. Never an empty list, which neither `gatehouse dev` nor a deploy accepts.
 */
function withLocalDevOrigin(origins: readonly string[]): string[] {
  return [...new Set([...origins, LOCAL_DEV_ORIGIN])];
}

/** `.gatehouse/` holds the local credential and the identity service's signing key: never committed. */
function gitignoreWithState(dir: string): string {
  const file = path.join(dir, '.gitignore');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = existing.split(/\r?\n/).map((line) => line.trim());
  if (lines.some((line) => /^\/?\.gatehouse\/?$/.test(line))) return existing;
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${separator}# gatehouse dev's state: local credentials and signing keys\n.gatehouse/\n`;
}

function checkRuntime(value: string): InitRuntime {
  if ((INIT_RUNTIMES as readonly string[]).includes(value)) return value as InitRuntime;
  throw new UsageError(`--runtime must be one of ${INIT_RUNTIMES.join(', ')} (got ${JSON.stringify(value)})`);
}

function checkOrigins(value: string): string[] {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  // None yet is allowed: the local stack adds its own, and a deploy asks for them by name.
  if (origins.length === 0) return origins;
  try {
    parseAllowedOrigins(origins);
  } catch (error) {
    throw new UsageError(`--origins: ${(error as Error).message}`, { cause: error });
  }
  return origins;
}

function checkName(value: string): string {
  if (/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(value)) return value;
  throw new UsageError(
    `the API name ${JSON.stringify(value)} must be letters, digits and -, 1–40, starting with a letter: pass --name`,
  );
}

/** The folder's name made into an API name: `my_app.v2` → `my-app-v2`. */
function folderName(dir: string): string {
  const cleaned = path
    .basename(dir)
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40);
  return cleaned === '' ? 'gatehouse' : cleaned;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        runtime: { type: 'string' },
        'core-arn': { type: 'string' },
        origins: { type: 'string' },
        name: { type: 'string' },
        dir: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw asUsageError(error);
  }
}
