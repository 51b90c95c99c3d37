/**
 * `gatehouse dev --watch` for Python dependencies: when a core's `requirements.txt` changes, its
 * environment is made for the new file (or an existing one reused) and the core is registered
 * again, so its next invocation cold-starts with the new packages — or answers the install's
 * error, while the other cores keep running.
 */
import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import type { ResolvedCore } from '@gatehouse/contract';
import { REQUIREMENTS_FILE } from '../python';
import { type CoreDependencies, prepareCoreDependencies } from './core-dependencies';

/** Editors write a file in several steps; one install per save. */
const DEBOUNCE_MS = 300;

export interface RequirementsWatchOptions {
  cores: readonly ResolvedCore[];
  projectDir: string;
  stateDir: string;
  /** The core's new dependencies, to register it with. */
  onChange(core: ResolvedCore, dependencies: CoreDependencies | undefined): void;
  log(core: string, line: string): void;
}

/** Starts watching; the returned function stops. */
export function watchRequirements(options: RequirementsWatchOptions): () => void {
  const watchers: FSWatcher[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  for (const core of options.cores) {
    if (!core.runtime.startsWith('python') || core.remote !== undefined) continue;
    const codeDir = path.resolve(options.projectDir, core.code);
    let timer: NodeJS.Timeout | undefined;
    const reinstall = async () => {
      const prepared = await prepareCoreDependencies([core], options.projectDir, options.stateDir, options.log);
      if (!stopped) options.onChange(core, prepared.get(core.name));
    };
    let watcher: FSWatcher;
    try {
      watcher = watch(codeDir, (_event, changed) => {
        if (changed !== REQUIREMENTS_FILE) return;
        if (timer) timers.delete(timer);
        clearTimeout(timer);
        timer = setTimeout(() => {
          timers.delete(timer as NodeJS.Timeout);
          options.log(core.name, `${REQUIREMENTS_FILE} changed: installing it before the next invocation`);
          void reinstall();
        }, DEBOUNCE_MS);
        timers.add(timer);
      });
    } catch {
      continue;
    }
    watcher.on('error', () => watcher.close());
    watchers.push(watcher);
  }
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
