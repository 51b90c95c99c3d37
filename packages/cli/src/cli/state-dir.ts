/**
 * The one rule for where the local stack keeps `local.json`, `services.json` and the identity
 * store, used by every command alike (dev, token, doctor, keys): `--state-dir`, else the
 * `GATEHOUSE_STATE_DIR` environment variable, else `.gatehouse` in the current directory — so two
 * commands run from the same place always meet the same stack.
 */
import path from 'node:path';

export const STATE_DIR_ENV = 'GATEHOUSE_STATE_DIR';

/** The `--state-dir` line of a command's usage, its description starting at `column`. */
export function stateDirUsage(column: number): string {
  return `${'  --state-dir DIR'.padEnd(column)}the local stack's state directory (default $${STATE_DIR_ENV}, else ./.gatehouse)`;
}

export function resolveStateDir(flag: string | undefined, env: Record<string, string | undefined>): string {
  const chosen = flag ?? (env[STATE_DIR_ENV] || '.gatehouse');
  return path.resolve(chosen);
}

/**
 * The `--state-dir` a printed command needs to reach this state directory, or nothing when the
 * rule finds it anyway — so pasted advice works from the same shell.
 */
export function stateDirArgument(stateDir: string, env: Record<string, string | undefined>): string {
  return path.resolve(stateDir) === resolveStateDir(undefined, env) ? '' : ` --state-dir '${stateDir}'`;
}
