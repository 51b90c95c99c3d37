/**
 * Children the local stack starts (the identity emulator), stopped by PID with a bounded wait:
 * SIGTERM first, SIGKILL if it lingers, so `gatehouse dev` never leaves orphans behind.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Node options that make a child (spawned with an `ipc` stdio slot) exit when its parent dies. */
export const EXIT_WITH_PARENT = ['--require', fileURLToPath(new URL('./exit-with-parent.cjs', import.meta.url))];

const TERM_WAIT_MS = 2_000;
const KILL_WAIT_MS = 1_000;

export function pipeLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  const within = (ms: number) =>
    Promise.race([exited, new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  child.kill('SIGTERM');
  if (await within(TERM_WAIT_MS)) return;
  child.kill('SIGKILL');
  await within(KILL_WAIT_MS);
}
