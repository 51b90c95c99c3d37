/**
 * How each runtime's process starts: the command, its arguments and the variables that differ by
 * runtime — and, before anything is spawned, the checks whose failure a developer can fix (no
 * `bootstrap`, one that is not executable), turned into the init error Lambda would report with a
 * line saying what to do. A missing interpreter shows up as the spawn's ENOENT (see
 * execution-environment.ts), so its check costs nothing on the warm path.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalFunctionDefinition } from './function-definition';
import { dependenciesMissing, type FunctionErrorPayload, invalidEntrypoint } from './function-errors';

const NODE_BOOTSTRAP = fileURLToPath(new URL('./runtimes/node-bootstrap.mjs', import.meta.url));
const PYTHON_BOOTSTRAP = fileURLToPath(new URL('./runtimes/python-bootstrap.py', import.meta.url));

/** The interpreter Python functions run with: the machine's `python3` unless told otherwise. */
export const PYTHON_COMMAND = process.env.GATEHOUSE_PYTHON ?? 'python3';

export type RuntimeLaunch =
  | {
      kind: 'spawn';
      command: string;
      args: string[];
      environment: Record<string, string>;
      missing: string;
      /**
       * How events reach the runtime: the Lambda Runtime API, which Python's and custom runtimes
       * speak on AWS too, or the Node runtime's two pipes (runtime-pipe.ts says why).
       */
      channel: 'runtime-api' | 'pipes';
    }
  | { kind: 'refused'; payload: FunctionErrorPayload };

export function launchFor(definition: LocalFunctionDefinition): RuntimeLaunch {
  const runtime = definition.runtime;
  if (definition.unavailable) return { kind: 'refused', payload: dependenciesMissing(definition.unavailable) };
  if (runtime === 'nodejs20.x' || runtime === 'nodejs22.x') {
    // AWS's Node.js bootstrap gives V8 the function's memory less a tenth (the new space, half of
    // it per semi-space): a heap past that dies as an out-of-memory error instead of growing.
    const newSpace = Math.floor(definition.memoryMb / 10);
    return {
      kind: 'spawn',
      command: process.execPath,
      args: [
        '--enable-source-maps',
        `--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`,
        `--max-old-space-size=${definition.memoryMb - newSpace}`,
        NODE_BOOTSTRAP,
      ],
      environment: { AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}` },
      missing: `Node.js (${process.execPath}) could not be started.`,
      channel: 'pipes',
    };
  }
  if (runtime === 'python3.12' || runtime === 'python3.13') {
    const python = definition.interpreter ?? PYTHON_COMMAND;
    return {
      kind: 'spawn',
      command: python,
      args: [PYTHON_BOOTSTRAP],
      environment: {
        AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
      },
      channel: 'runtime-api',
      missing: `${python} was not found on PATH: ${runtime} functions run with the machine's Python 3 — install it (e.g. \`apt-get install python3\`, \`brew install python\`) or set GATEHOUSE_PYTHON to an interpreter.`,
    };
  }
  const bootstrap = path.join(definition.codeDir, 'bootstrap');
  const problem = bootstrapProblem(bootstrap);
  if (problem) return { kind: 'refused', payload: invalidEntrypoint(problem) };
  return {
    kind: 'spawn',
    command: bootstrap,
    args: [],
    environment: {},
    missing: `Couldn't find valid bootstrap(s): [${bootstrap}]`,
    channel: 'runtime-api',
  };
}

function bootstrapProblem(bootstrap: string): string | undefined {
  let isFile: boolean;
  try {
    isFile = statSync(bootstrap).isFile();
  } catch {
    return `Couldn't find valid bootstrap(s): [${bootstrap}]. A provided.al2023 function needs an executable file named bootstrap in its code folder.`;
  }
  if (!isFile) return `${bootstrap} is not a file: a provided.al2023 function's bootstrap must be an executable file.`;
  try {
    accessSync(bootstrap, constants.X_OK);
  } catch {
    return `fork/exec ${bootstrap}: permission denied. Make it executable: chmod +x ${bootstrap}`;
  }
  return undefined;
}
