/**
 * Periods as the API names them (Q1–Q4, H1, H2, FY) → the quarters they cover, and the period
 * before each one, which growth is measured against.
 */
import type { Period } from '../../src/schema';

export interface PeriodRef {
  year: number;
  period: Period;
}

const QUARTERS_OF: Record<Period, readonly (1 | 2 | 3 | 4)[]> = {
  Q1: [1],
  Q2: [2],
  Q3: [3],
  Q4: [4],
  H1: [1, 2],
  H2: [3, 4],
  FY: [1, 2, 3, 4],
};

export function quartersOf(period: Period): readonly (1 | 2 | 3 | 4)[] {
  return QUARTERS_OF[period];
}

/** Q1 2024 → Q4 2023; H1 2024 → H2 2023; FY 2024 → FY 2023. */
export function previousPeriod({ year, period }: PeriodRef): PeriodRef {
  switch (period) {
    case 'Q1':
      return { year: year - 1, period: 'Q4' };
    case 'Q2':
      return { year, period: 'Q1' };
    case 'Q3':
      return { year, period: 'Q2' };
    case 'Q4':
      return { year, period: 'Q3' };
    case 'H1':
      return { year: year - 1, period: 'H2' };
    case 'H2':
      return { year, period: 'H1' };
    case 'FY':
      return { year: year - 1, period: 'FY' };
  }
}

export function formatPeriod({ year, period }: PeriodRef): string {
  return `${year} ${period}`;
}
