/**
 * The sample's local stack in a process of its own, for the benches that put load on it: a load
 * generator sharing the stack's event loop would slow the stack it measures (and serverless-offline,
 * in `offline.bench.ts`, runs in a process of its own too). Prints one JSON line — where the stack
 * is, the demo user, and the edge's and the core's code and environment — then serves until
 * SIGTERM or SIGINT, and stops the stack.
 *
 * Usage (from stack-process.ts): tsx bench/local/stack-server.ts <state dir> [--node-threads]
 */
import { startStack } from '@gatehouse/local';
import { SAMPLE_CONFIG } from '../../scripts/bundle-lambda';
import type { StackDescription } from './stack-process';

const [stateDir, ...flags] = process.argv.slice(2);
if (!stateDir) throw new Error('usage: stack-server.ts <state dir> [--node-threads]');
const nodeThreads = flags.includes('--node-threads');

const stack = await startStack({
  config: SAMPLE_CONFIG,
  stateDir,
  ...(nodeThreads ? { nodeIsolation: 'thread' } : {}),
});
const definition = (name: string | undefined) => {
  const pool = name === undefined ? undefined : stack.lambda.pool(name);
  if (!pool) throw new Error(`the sample stack has no function ${name}`);
  const { codeDir, handler, environment, timeoutSeconds } = pool.definition;
  return { codeDir, handler, environment: environment ?? {}, timeoutSeconds };
};
const description: StackDescription = {
  apiUrl: stack.config.apiUrl,
  cognito: stack.config.cognito,
  demoUser: stack.config.demoUser,
  edge: definition(stack.functionNames.edge),
  core: definition(stack.functionNames.cores.get('figures')),
};
process.stdout.write(`${JSON.stringify(description)}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
