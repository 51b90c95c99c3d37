/**
 * Checks that a 200 body is the contract's `InferenceAnswer` before the UI renders it, so a core
 * that changed shape shows a clear error instead of a broken table.
 */
import { type Figure, type InferenceAnswer, PERIODS } from '@gatehouse/example-figures/schema';

export function isInferenceAnswer(value: unknown): value is InferenceAnswer {
  if (!isRecord(value) || typeof value.answer !== 'string' || !isRecord(value.meta)) return false;
  const { partner, year, period, figures } = value.meta;
  return (
    typeof partner === 'string' &&
    typeof year === 'number' &&
    typeof period === 'string' &&
    (PERIODS as readonly string[]).includes(period) &&
    Array.isArray(figures) &&
    figures.every(isFigure)
  );
}

function isFigure(value: unknown): value is Figure {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.label === 'string' &&
    typeof value.value === 'number' &&
    (value.unit === 'USD' || value.unit === '%') &&
    typeof value.period === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
