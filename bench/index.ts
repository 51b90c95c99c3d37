/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process, one after another (each
 * measures on a quiet machine, not against its neighbours), and prints their figures.
 * Pass names to run a subset: `npm run bench -- edge`; `--name=value` flags go to every bench run
 * (`npm run bench -- soak --requests=50000 --concurrency=64`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
if (files.length === 0) {
  console.error(
    `no benchmark matches ${wanted.join(', ')}; there are: ${readdirSync(dir)
      .filter((f) => f.endsWith('.bench.ts'))
      .join(', ')}`,
  );
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  // Each bench runs on the repository's TypeScript sources, as the tests do (no build needed).
  const run = spawnSync(
    process.execPath,
    ['--conditions=@gatehouse/source', '--import', 'tsx', `${dir}${file}`, ...flags],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`\n${failed} benchmark(s) failed`);
  process.exit(1);
}
