/**
 * `--name=value` flags for the attack, fuzz and soak benches (bench/index.ts passes them through),
 * so a run's size is chosen on the command line: `npm run bench -- soak --requests=50000`.
 */

/** The flag's value as a positive integer, or the default; anything else stops the bench. */
export function intFlag(name: string, fallback: number): number {
  const prefix = `--${name}=`;
  const given = process.argv.find((a) => a.startsWith(prefix));
  if (given === undefined) return fallback;
  const value = Number(given.slice(prefix.length).replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`--${name} takes a whole number, not ${JSON.stringify(given.slice(prefix.length))}`);
    process.exit(2);
  }
  return value;
}

export function formatCounts(counts: ReadonlyMap<number, number>): string {
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status === 0 ? 'no answer' : status}: ${count}`)
    .join(', ');
}
