/**
 * The inference route's request and answer: one schema, used by the web app before it sends a
 * request and by the edge before it invokes the core, so the two can never disagree.
 *
 * Built with `zod/mini` because it tree-shakes to a few KB inside the edge bundle (cold start).
 */
// A namespace import, not `import { z }`: esbuild can then drop the parts of zod (locales, JSON
// Schema) the edge never calls — 18 KB in the bundle instead of 430 KB.

import type { FieldError } from '@gatehouse/contract';
import * as z from 'zod/mini';

export const PERIODS = ['Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2', 'FY'] as const;
export type Period = (typeof PERIODS)[number];

export const LIMITS = {
  partnerMaxLength: 200,
  questionMaxLength: 2000,
  yearMin: 1900,
  yearMax: 2100,
} as const;

/**
 * @example
 * InferenceRequestSchema.parse({ partner: ' Acme ', year: 2024, period: 'q3', question: 'Revenue?' })
 * // → { partner: 'Acme', year: 2024, period: 'Q3', question: 'Revenue?' }
 */
export const InferenceRequestSchema = z.strictObject({
  partner: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'partner must not be empty'),
      z.maxLength(LIMITS.partnerMaxLength, `partner must be at most ${LIMITS.partnerMaxLength} characters`),
    ),
  year: z
    .int('year must be a whole number')
    .check(
      z.gte(LIMITS.yearMin, `year must be ${LIMITS.yearMin} or later`),
      z.lte(LIMITS.yearMax, `year must be ${LIMITS.yearMax} or earlier`),
    ),
  period: z.pipe(
    z.string('period must be one of Q1, Q2, Q3, Q4, H1, H2, FY').check(z.trim(), z.toUpperCase()),
    z.enum(PERIODS, 'period must be one of Q1, Q2, Q3, Q4, H1, H2, FY'),
  ),
  question: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'question must not be empty'),
      z.maxLength(LIMITS.questionMaxLength, `question must be at most ${LIMITS.questionMaxLength} characters`),
    ),
});

/** What a client sends (before normalisation). */
export type InferenceRequestInput = z.input<typeof InferenceRequestSchema>;
/** What the edge passes on to the core (trimmed, period upper-cased). */
export type InferenceRequest = z.output<typeof InferenceRequestSchema>;

/** One figure the sample core used to build its answer. */
export interface Figure {
  /** Machine name, e.g. `revenue`, `costs`, `margin`, `growth`. */
  name: string;
  /** Human label, e.g. "Revenue". */
  label: string;
  value: number;
  /** `USD` for money, `%` for ratios. */
  unit: 'USD' | '%';
  /** The period the figure belongs to, e.g. `2024 Q3`. */
  period: string;
}

/** The sample core's answer, which the edge returns unchanged with status 200. */
export interface InferenceAnswer {
  answer: string;
  meta: {
    partner: string;
    year: number;
    period: Period;
    figures: Figure[];
  };
}

/**
 * Validates a parsed JSON value against the request schema, returning field errors in the
 * problem body's shape rather than zod's issue objects.
 */
export function validateInferenceRequest(
  value: unknown,
): { ok: true; value: InferenceRequest } | { ok: false; errors: FieldError[] } {
  const result = InferenceRequestSchema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issueMessage(issue, value),
    })),
  };
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.path.length > 0 && isAbsent(value, issue.path)) {
    return `${issue.path.join('.')} is required`;
  }
  return issue.message;
}

function isAbsent(value: unknown, path: readonly PropertyKey[]): boolean {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return true;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node === undefined;
}
