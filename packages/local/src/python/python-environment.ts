/**
 * A Python core's dependencies without Docker: one virtual environment per requirements file, made
 * with the machine's `python3 -m venv` and `pip install -r` under `<stateDir>/python/<hash>/`, the
 * hash covering the file and the interpreter, so an unchanged file reuses its environment across
 * runs and a changed one gets a new environment. pip reads its usual settings (`PIP_INDEX_URL`,
 * `PIP_FIND_LINKS`, `pip.conf`). A failed install names the requirement pip could not satisfy.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REQUIREMENTS_FILE = 'requirements.txt';
/** Written last: an environment without it is an interrupted install, made again. */
const READY_MARKER = '.gatehouse-ready';
/** pip's output can be long (a build log); what is kept of it for the message. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export class PythonEnvironmentError extends Error {
  override name = 'PythonEnvironmentError';
}

export interface PythonEnvironmentOptions {
  /** Where `python/<hash>/` environments are kept. */
  stateDir: string;
  /** The interpreter the environment is made from. @default 'python3' */
  python?: string;
  onLog?: (line: string) => void;
}

/** Environments being made in this process, so cores sharing a requirements file share one install. */
const inProgress = new Map<string, Promise<string>>();

/**
 * The interpreter of the environment for `requirementsFile`, made if needed.
 * @throws PythonEnvironmentError naming the requirement that failed and what pip said.
 */
export function pythonEnvironmentFor(requirementsFile: string, options: PythonEnvironmentOptions): Promise<string> {
  const python = options.python ?? 'python3';
  const requirements = readFileSync(requirementsFile);
  const hash = createHash('sha256').update(python).update('\0').update(requirements).digest('hex').slice(0, 16);
  const dir = path.join(options.stateDir, 'python', hash);
  const interpreter = path.join(dir, 'bin', 'python');
  if (existsSync(path.join(dir, READY_MARKER))) return Promise.resolve(interpreter);
  let pending = inProgress.get(dir);
  if (!pending) {
    pending = make(dir, interpreter, requirementsFile, python, options.onLog ?? (() => {})).finally(() =>
      inProgress.delete(dir),
    );
    inProgress.set(dir, pending);
  }
  return pending;
}

async function make(
  dir: string,
  interpreter: string,
  requirementsFile: string,
  python: string,
  log: (line: string) => void,
): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  log(`installing ${requirementsFile} into ${dir}`);
  try {
    await run(python, ['-m', 'venv', dir], { maxBuffer: MAX_OUTPUT_BYTES });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new PythonEnvironmentError(
      `${python} -m venv failed: ${lastLines(error)} (install the venv module, e.g. \`apt-get install python3-venv\`, or set GATEHOUSE_PYTHON to an interpreter that has the packages)`,
      { cause: error },
    );
  }
  try {
    await run(
      interpreter,
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirementsFile],
      { cwd: path.dirname(requirementsFile), maxBuffer: MAX_OUTPUT_BYTES },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const requirement = failedRequirement(error);
    throw new PythonEnvironmentError(
      `pip could not install ${requirement ? `"${requirement}"` : 'the requirements'} from ${requirementsFile}: ${lastLines(error)}`,
      { cause: error },
    );
  }
  writeFileSync(path.join(dir, READY_MARKER), `${requirementsFile}\n`);
  return interpreter;
}

/** The requirement named in pip's resolution error, when it names one. */
function failedRequirement(error: unknown): string | undefined {
  const output = String((error as { stderr?: unknown }).stderr ?? '');
  return (
    /No matching distribution found for (\S+)/.exec(output)?.[1] ??
    /Could not find a version that satisfies the requirement (\S+)/.exec(output)?.[1] ??
    /Failed to build (\S+)/.exec(output)?.[1] ??
    /Invalid requirement: '([^']+)'/.exec(output)?.[1]
  );
}

function lastLines(error: unknown): string {
  const output = String((error as { stderr?: unknown }).stderr ?? '').trim() || (error as Error).message;
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^WARNING: Running pip as the 'root' user/.test(l))
    .slice(-2)
    .join(' ');
}
