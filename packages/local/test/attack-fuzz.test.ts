/**
 * The seeded fuzzer's short run: 300 requests from a fixed seed (helpers/fuzz-requests.ts) against
 * the whole local stack. Every answer must keep the invariants (an answer with one request id, no
 * foreign origin reflected, an error body that is a problem with that id or the gateway's own, no
 * leaked internals, no 5xx without a logged cause) and the stack must answer a plain signed-in
 * request afterwards. The ≥ 10,000-request run is `npm run bench -- fuzz`.
 */

import { type AttackStack, runFuzz, startAttackStack, summariseViolations } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SEED = 20_261_124;

let attack: AttackStack;

beforeAll(async () => {
  attack = await startAttackStack();
});

afterAll(async () => {
  await attack?.stop();
});

describe('seeded fuzzer, short run', () => {
  it(`keeps every invariant over 300 requests from seed ${SEED}, and the stack stays up`, async () => {
    // Act
    const report = await runFuzz(attack, { seed: SEED, count: 300, concurrency: 4 });

    // Assess
    expect(report.sent).toBe(300);
    // The run must reach the core as well as the refusals, or it proves little.
    expect(report.byStatus.get(200) ?? 0).toBeGreaterThan(10);
    expect([...report.byStatus.keys()].filter((s) => s >= 400 && s < 500).length).toBeGreaterThan(3);
    expect(summariseViolations(report.violations)).toEqual([]);
    expect(report.aliveAfter).toBe(200);
  }, 120_000);
});
