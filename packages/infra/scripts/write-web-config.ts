/**
 * After `cdk deploy`: writes the web app's `gatehouse-config.json` from the deploy's outputs file.
 *
 * Usage: tsx scripts/write-web-config.ts <outputs.json> [--out <file>] [--stack <name>]
 * Default out: packages/web/dist/gatehouse-config.json — the built app, ready to upload as it is.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { webConfigFromOutputs } from '../src/web-config-from-outputs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, stack: { type: 'string' } },
});
const outputsFile = positionals[0];
if (!outputsFile) {
  console.error('usage: write-web-config <outputs.json> [--out <file>] [--stack <name>]');
  process.exit(2);
}
const out = values.out ?? fileURLToPath(new URL('../../web/dist/gatehouse-config.json', import.meta.url));
const config = webConfigFromOutputs(JSON.parse(readFileSync(outputsFile, 'utf8')), values.stack);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), out)}\n${JSON.stringify(config, null, 2)}`);
