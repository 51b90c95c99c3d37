/**
 * Lambda's limit on a function's unzipped code (layers included): checked at synth, so an asset
 * that cannot deploy fails with the packages that make it big instead of a CloudFormation error.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;
const LISTED = 10;

/** @throws Error listing the ten largest top-level entries when `dir` is over `limit`. */
export function assertUnzippedSize(dir: string, limit = LAMBDA_UNZIPPED_LIMIT_BYTES): void {
  const entries = readdirSync(dir).map((name) => ({ name, bytes: sizeOf(path.join(dir, name)) }));
  const total = entries.reduce((sum, e) => sum + e.bytes, 0);
  if (total <= limit) return;
  const largest = entries
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, LISTED)
    .map((e) => `${e.name} ${megabytes(e.bytes)}`)
    .join(', ');
  throw new Error(
    `the code unzipped is ${megabytes(total)}, over Lambda's ${megabytes(limit)} limit (layers included). ` +
      `Largest: ${largest}. Drop what the core does not import, or move large packages to a layer or a container image`,
  );
}

function sizeOf(file: string): number {
  const stat = lstatSync(file);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(file).reduce((sum, name) => sum + sizeOf(path.join(file, name)), 0);
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
