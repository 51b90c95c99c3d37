/**
 * Runs the seeded fuzzer against an attack stack: `count` cases from `seed`, `concurrency` at a
 * time, each answer checked against the stack's invariants (helpers/answer-invariants.ts), then
 * one plain signed-in request to prove the stack is still alive. Shared by the short run in
 * `npm test` and the long one in `npm run bench -- fuzz`.
 */
import { answerViolations } from './answer-invariants';
import type { AttackStack } from './attack-stack';
import { type FuzzCase, fuzzCases } from './fuzz-requests';
import { rawRequest } from './raw-http';

export interface FuzzOptions {
  seed: number;
  count: number;
  concurrency: number;
  /** See FuzzTarget.maxBodyBytes. */
  maxBodyBytes?: number;
  /** Per-request bound (default 35 s: above the gateway's 30 s integration timeout). */
  timeoutMs?: number;
}

export interface FuzzViolation {
  index: number;
  label: string;
  status: number;
  problems: string[];
}

export interface FuzzReport {
  seed: number;
  sent: number;
  byStatus: Map<number, number>;
  violations: FuzzViolation[];
  /** The status of the signed-in request sent after the run (200 when the stack survived). */
  aliveAfter: number;
  seconds: number;
}

export async function runFuzz(attack: AttackStack, options: FuzzOptions): Promise<FuzzReport> {
  const cases = fuzzCases(
    {
      port: attack.gatewayPort,
      idToken: attack.idToken,
      allowedOrigin: attack.webOrigin,
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    },
    options.seed,
    options.count,
  );
  const byStatus = new Map<number, number>();
  const violations: FuzzViolation[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const fuzzCase = cases[index] as FuzzCase;
      const request = fuzzCase.request();
      let problems: string[];
      let status = 0;
      try {
        const response = await rawRequest(attack.gatewayPort, request, options.timeoutMs);
        status = response.status;
        problems = answerViolations(attack, { method: request.method, ...originOf(fuzzCase) }, response);
      } catch (error) {
        problems = [(error as Error).message];
      }
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      if (problems.length > 0) violations.push({ index, label: fuzzCase.label, status, problems });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const body = Buffer.from('{"partner":"Acme Corp","year":2024,"period":"Q3","question":"What was the revenue?"}');
  const alive = await rawRequest(attack.gatewayPort, {
    method: 'POST',
    target: '/prod/inference',
    headers: [
      ['authorization', attack.idToken],
      ['content-type', 'application/json'],
      ['content-length', String(body.length)],
    ],
    body,
  });
  return { seed: options.seed, sent: cases.length, byStatus, violations, aliveAfter: alive.status, seconds };
}

function originOf(fuzzCase: FuzzCase): { origin?: string } {
  return fuzzCase.origin === undefined ? {} : { origin: fuzzCase.origin };
}

/** One line per violation kind with its count and first example, for a readable failure or report. */
export function summariseViolations(violations: readonly FuzzViolation[]): string[] {
  const kinds = new Map<string, { count: number; example: FuzzViolation }>();
  for (const violation of violations) {
    for (const problem of violation.problems) {
      const kind = problem.replace(/[0-9a-f-]{16,}|"[^"]*"|\d+/g, '…').slice(0, 90);
      const seen = kinds.get(kind);
      if (seen) seen.count++;
      else kinds.set(kind, { count: 1, example: violation });
    }
  }
  return [...kinds.entries()].map(
    ([kind, { count, example }]) => `${count} × ${kind} — e.g. #${example.index} ${example.label} → ${example.status}`,
  );
}
