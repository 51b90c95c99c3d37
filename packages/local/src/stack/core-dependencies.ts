/**
 * Each local Python core with a `requirements.txt` gets the interpreter of its dependencies'
 * environment (python/python-environment.ts), unless GATEHOUSE_PYTHON names the interpreter to use
 * as it is. A core whose install fails is marked unavailable, with pip's reason, and the others
 * run: one broken requirement never stops the stack.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedCore } from '@gatehouse/contract';
import { pythonEnvironmentFor, REQUIREMENTS_FILE } from '../python';

export type CoreDependencies = { interpreter: string } | { unavailable: string };

export async function prepareCoreDependencies(
  cores: readonly ResolvedCore[],
  projectDir: string,
  stateDir: string,
  log: (core: string, line: string) => void,
): Promise<Map<string, CoreDependencies>> {
  const prepared = new Map<string, CoreDependencies>();
  if (process.env.GATEHOUSE_PYTHON) return prepared;
  await Promise.all(
    cores
      .filter((core) => core.runtime.startsWith('python') && core.remote === undefined)
      .map(async (core) => {
        const requirements = path.join(path.resolve(projectDir, core.code), REQUIREMENTS_FILE);
        if (!existsSync(requirements)) return;
        try {
          const interpreter = await pythonEnvironmentFor(requirements, {
            stateDir,
            onLog: (line) => log(core.name, line),
          });
          prepared.set(core.name, { interpreter });
        } catch (error) {
          const message = (error as Error).message;
          log(
            core.name,
            `${message}; the core answers an error until requirements.txt is fixed (saved again, or at the next start)`,
          );
          prepared.set(core.name, { unavailable: message });
        }
      }),
  );
  return prepared;
}
