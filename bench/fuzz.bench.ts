/**
 * The seeded fuzzer's long run against the whole local stack: 10,000 requests by default (bodies
 * up to 11 MB, so over Lambda's 6 MB and API Gateway's 10 MB limits), checked against the same
 * invariants as the short run in `npm test`, then the counts by status, the violations by kind
 * with a replayable example (seed and index), and whether the stack still answers.
 *
 * Run: npm run bench -- fuzz [--requests=10000] [--seed=20261124] [--concurrency=8] [--max-body=11000000]
 * Exits 1 when an invariant was broken.
 */
import { runFuzz, startAttackStack, summariseViolations } from '@gatehouse/testing';
import { formatCounts, intFlag } from './attack/flags';

const requests = intFlag('requests', 10_000);
const seed = intFlag('seed', 20_261_124);
const concurrency = intFlag('concurrency', 8);
const maxBodyBytes = intFlag('max-body', 11_000_000);

const attack = await startAttackStack();
let broken = false;
try {
  const report = await runFuzz(attack, { seed, count: requests, concurrency, maxBodyBytes });
  console.log(
    `fuzz: ${report.sent} requests, seed ${report.seed}, concurrency ${concurrency}, bodies up to ${maxBodyBytes} bytes, ${report.seconds.toFixed(1)} s (${(report.sent / report.seconds).toFixed(0)} req/s)`,
  );
  console.log(`by status: ${formatCounts(report.byStatus)}`);
  const kinds = summariseViolations(report.violations);
  console.log(`requests breaking an invariant: ${report.violations.length}`);
  for (const line of kinds) console.log(`  ${line}`);
  console.log(`signed-in request afterwards: ${report.aliveAfter}`);
  broken = report.violations.length > 0 || report.aliveAfter !== 200;
} finally {
  await attack.stop();
}
if (broken) process.exit(1);
