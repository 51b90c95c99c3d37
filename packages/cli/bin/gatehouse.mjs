#!/usr/bin/env node
// The `gatehouse` bin. It imports its own package by name, so Node loads the compiled lib/ — or, in
// the gatehouse repository, run with `--conditions=@gatehouse/source --import tsx`, the TypeScript source.
import { main } from 'gatehouse/cli';

try {
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
}
