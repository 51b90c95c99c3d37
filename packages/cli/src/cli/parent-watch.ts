/**
 * Notices when the process that started this one is gone. A wrapper such as `npm start` runs the
 * CLI under `sh -c`; a SIGTERM sent to npm kills that shell, which does not pass the signal on, and
 * the CLI is re-parented (its `ppid` changes) instead of being told to stop.
 */

/** How often the parent is checked: a stop is noticed within half a second, at no measurable cost. */
const INTERVAL_MS = 500;

/** Calls `onGone` once when the parent changes; returns the function that stops watching. */
export function watchParent(onGone: () => void, intervalMs = INTERVAL_MS): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  // Watching must never be what keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
