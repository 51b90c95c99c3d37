/**
 * After `cdk deploy`: writes the web app's `gatehouse-config.json` from the deploy's outputs file.
 *
 * Usage: tsx scripts/write-web-config.ts <outputs.json> [--out <file>] [--stack <name>]
 * Default out: packages/web/dist/gatehouse-config.json — the built app, ready to upload as it is.
 * A missing or unusable outputs file is one sentence saying what to do, never a stack trace: it is
 * what everyone meets who runs `npm run web-config` before their first deploy.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GatehouseConfigError } from '../src/errors';
import { webConfigFromOutputs } from '../src/web-config-from-outputs';

const USAGE = 'usage: write-web-config <outputs.json> [--out <file>] [--stack <name>]';

/** A mistake the user fixes: printed alone, with the exit status. */
class ScriptError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

try {
  writeWebConfig(process.argv.slice(2));
} catch (error) {
  if (error instanceof ScriptError) {
    console.error(error.message);
    process.exit(error.exitCode);
  }
  throw error;
}

function writeWebConfig(argv: string[]): void {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new ScriptError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const outputsFile = positionals[0];
  if (!outputsFile) throw new ScriptError(USAGE, 2);
  const out = values.out ?? fileURLToPath(new URL('../../web/dist/gatehouse-config.json', import.meta.url));
  let config: ReturnType<typeof webConfigFromOutputs>;
  try {
    config = webConfigFromOutputs(readOutputs(outputsFile), values.stack);
  } catch (error) {
    if (!(error instanceof GatehouseConfigError)) throw error;
    throw new ScriptError(`Cannot write the web config from ${outputsFile}: ${error.message}.`);
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}\n${JSON.stringify(config, null, 2)}`);
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, stack: { type: 'string' } },
  });
}

function readOutputs(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScriptError(
      code === 'ENOENT'
        ? `No deploy outputs at ${file}: deploy first (npm run deploy writes that file), then run npm run web-config again.`
        : `Cannot read the deploy outputs at ${file} (${code ?? (error as Error).message}).`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ScriptError(
      `The deploy outputs at ${file} are not JSON (${(error as Error).message}): run npm run deploy again to rewrite them.`,
    );
  }
}
