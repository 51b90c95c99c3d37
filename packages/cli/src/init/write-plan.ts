/**
 * The files `gatehouse init` means to write, checked before any is written: a file that exists
 * with the same contents is left alone (so a second run changes nothing), one with other contents
 * is refused unless `--force` (init's own additions to a file it edits are not) — and then nothing at all is written, never half a project.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface PlannedFile {
  /** Relative to the project folder. */
  file: string;
  contents: string;
  executable?: boolean;
  /** The existing file with lines added: an edit init makes on purpose, never a conflict. */
  edit?: boolean;
}

export type FileOutcome = 'created' | 'updated' | 'unchanged' | 'conflict';

export interface PlanResult {
  outcomes: Array<{ file: string; outcome: FileOutcome }>;
  /** True when anything was refused, in which case nothing was written. */
  refused: boolean;
}

export function applyPlan(dir: string, files: readonly PlannedFile[], force: boolean): PlanResult {
  const outcomes = files.map(({ file, contents, edit }) => ({
    file,
    outcome: outcomeOf(path.join(dir, file), contents, force || edit === true),
  }));
  const refused = outcomes.some(({ outcome }) => outcome === 'conflict');
  if (refused) return { outcomes, refused };
  for (const planned of files) {
    const target = path.join(dir, planned.file);
    const outcome = outcomes.find(({ file }) => file === planned.file)?.outcome;
    if (outcome === 'unchanged') continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, planned.contents);
    if (planned.executable) chmodSync(target, 0o755);
  }
  return { outcomes, refused };
}

function outcomeOf(target: string, contents: string, force: boolean): FileOutcome {
  if (!existsSync(target)) return 'created';
  if (readFileSync(target, 'utf8') === contents) return 'unchanged';
  return force ? 'updated' : 'conflict';
}
