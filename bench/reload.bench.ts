/**
 * How long a save takes to reach an answer in `gatehouse dev`'s watch mode: a copy of the Python
 * example runs in the local stack with watching on, and each round edits one file and sends
 * requests back to back until an answer shows the edit, timing from the write to that answer.
 * - a Python handler edit: the core's code folder changes, its environments are retired and the
 *   next invocation cold-starts the new code (a new Python process importing the module);
 * - a schema edit: the edge is rebuilt with esbuild, checked against the config, written, and its
 *   environments retired.
 * Target (issue 19): ≤ 300 ms after the save.
 *
 * Run: npm run bench -- reload [--rounds=5]
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn, startStack } from '@gatehouse/local';

const given = process.argv.find((a) => a.startsWith('--rounds='));
const ROUNDS = given ? Number(given.slice('--rounds='.length)) : 5;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`--rounds must be a whole number ≥ 1 (got ${given})`);
/** Longest a save may take to show before the round counts as failed. */
const GIVE_UP_MS = 15_000;
/** Between rounds: the watcher's debounce and the rebuild settle before the next edit. */
const SETTLE_MS = 1_000;

const here = fileURLToPath(new URL('.', import.meta.url));
const example = path.join(here, '..', 'examples', 'python');
// Inside the repository, so the copy's imports (valibot, gatehouse) resolve as the example's do.
mkdirSync(path.join(here, '.tmp'), { recursive: true });
const project = mkdtempSync(path.join(here, '.tmp', 'reload-'));
for (const entry of ['gatehouse.config.ts', 'src', 'core', 'package.json']) {
  cpSync(path.join(example, entry), path.join(project, entry), { recursive: true });
}
const handlerFile = path.join(project, 'core', 'handler.py');
const schemaFile = path.join(project, 'src', 'schema.ts');
const originalHandler = readFileSync(handlerFile, 'utf8');
const originalSchema = readFileSync(schemaFile, 'utf8');
const MAX_TOKENS_RULE = "v.maxValue(4096, 'maxTokens must be 4096 or less')";
if (!originalSchema.includes(MAX_TOKENS_RULE)) throw new Error(`the example's schema no longer has ${MAX_TOKENS_RULE}`);

const stack = await startStack({
  config: path.join(project, 'gatehouse.config.ts'),
  stateDir: path.join(project, '.gatehouse'),
  watch: true,
});
try {
  const { cognito, demoUser, apiUrl } = stack.config;
  const { IdToken } = await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password);
  const complete = async (maxTokens: number) => {
    const response = await fetch(`${apiUrl}/completions`, {
      method: 'POST',
      headers: { authorization: IdToken, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'An old silent pond. A frog jumps in.', temperature: 0, maxTokens }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  if ((await complete(8)).status !== 200) throw new Error('the copied example does not answer 200');

  /** Writes the edit, then asks until `shows` holds; ms from the write to that answer. */
  const timeEdit = async (file: string, contents: string, shows: () => Promise<boolean>): Promise<number> => {
    const written = performance.now();
    writeFileSync(file, contents);
    for (let attempt = 0; attempt < 10_000 && performance.now() - written < GIVE_UP_MS; attempt++) {
      if (await shows()) return performance.now() - written;
    }
    throw new Error(`${path.basename(file)}: the edit did not show within ${GIVE_UP_MS} ms`);
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  const handlerMs: number[] = [];
  const schemaMs: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // A Python edit: the answer gains a field naming the round.
    const edited = `${originalHandler}\n\n_complete = complete\n\n\ndef complete(event, context):\n    answer = _complete(event, context)\n    answer["edit"] = ${round}\n    return answer\n`;
    handlerMs.push(await timeEdit(handlerFile, edited, async () => (await complete(8)).body.edit === round));
    await settle();
    // A schema edit: the edge refuses maxTokens past a new limit (422 naming it).
    const limit = 4000 - round;
    const tightened = originalSchema.replace(
      MAX_TOKENS_RULE,
      `v.maxValue(${limit}, 'maxTokens must be ${limit} or less')`,
    );
    schemaMs.push(
      await timeEdit(schemaFile, tightened, async () =>
        JSON.stringify((await complete(4050)).body).includes(`must be ${limit} or less`),
      ),
    );
    await settle();
    writeFileSync(schemaFile, originalSchema);
    writeFileSync(handlerFile, originalHandler);
    await settle();
  }
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms (${values.map((v) => v.toFixed(0)).join(', ')})`;
  };
  console.log(`save → answer, Python handler edit: ${summary(handlerMs)}`);
  console.log(`save → answer, schema edit (edge rebuilt): ${summary(schemaMs)}`);
} finally {
  await stack.stop();
  rmSync(project, { recursive: true, force: true });
}
