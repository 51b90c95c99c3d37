/**
 * The files `gatehouse init` means to write, checked before any is written: a file that exists
 * with the same contents is left alone (so a second run changes nothing), one with other contents
 * is refused unless `--force` (init's own additions to a file it edits are not), and one whose path
 * goes through a symbolic link out of the project folder is refused even with `--force` — a
 * cloned repository's `gatehouse.config.ts -> ~/.bashrc` must not be overwritten. Anything refused
 * and nothing at all is written, never half a project.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface PlannedFile {
  /** Relative to the project folder. */
  file: string;
  contents: string;
  executable?: boolean;
  /** The existing file with lines added: an edit init makes on purpose, never a conflict. */
  edit?: boolean;
}

/** `outside`: a symbolic link on the way leads out of the project folder. */
export type FileOutcome = 'created' | 'updated' | 'unchanged' | 'conflict' | 'outside';

export interface PlanResult {
  outcomes: Array<{ file: string; outcome: FileOutcome }>;
  /** True when anything was refused, in which case nothing was written. */
  refused: boolean;
}

export function applyPlan(dir: string, files: readonly PlannedFile[], force: boolean): PlanResult {
  const root = realpathSync(dir);
  const outcomes = files.map(({ file, contents, edit }) => {
    const target = path.join(dir, file);
    const outcome: FileOutcome = leavesProject(root, target)
      ? 'outside'
      : outcomeOf(target, contents, force || edit === true);
    return { file, outcome };
  });
  const refused = outcomes.some(({ outcome }) => outcome === 'conflict' || outcome === 'outside');
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

/**
 * Whether writing `target` would land outside `root` (a real path): its deepest existing part is
 * resolved through every link, and a dangling link counts as leaving, since where it would create
 * the file is not known to be inside.
 */
function leavesProject(root: string, target: string): boolean {
  let existing = target;
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch {
      existing = path.dirname(existing);
    }
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    return true;
  }
  const relative = path.relative(root, path.join(real, path.relative(existing, target)));
  return relative.startsWith('..') || path.isAbsolute(relative);
}

function outcomeOf(target: string, contents: string, force: boolean): FileOutcome {
  if (!existsSync(target)) return 'created';
  if (readFileSync(target, 'utf8') === contents) return 'unchanged';
  return force ? 'updated' : 'conflict';
}
