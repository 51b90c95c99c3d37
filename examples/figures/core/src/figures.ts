/** Totals for a partner over a period, from the quarterly figures. */

import type { Partner } from './dataset';
import { yearsCovered } from './dataset';
import { NotFoundError } from './errors';
import { formatPeriod, type PeriodRef, quartersOf } from './periods';

export interface PeriodTotals {
  ref: PeriodRef;
  revenue: number;
  costs: number;
  /** Operating margin: (revenue − costs) / revenue, as a percentage. */
  marginPct: number;
}

/** Totals for the period, or `undefined` when any of its quarters is missing from the data. */
export function totalsFor(partner: Partner, ref: PeriodRef): PeriodTotals | undefined {
  const wanted = quartersOf(ref.period);
  const rows = partner.quarters.filter((q) => q.year === ref.year && wanted.includes(q.quarter));
  if (rows.length !== wanted.length) return undefined;
  const revenue = rows.reduce((sum, q) => sum + q.revenue, 0);
  const costs = rows.reduce((sum, q) => sum + q.costs, 0);
  return { ref, revenue, costs, marginPct: revenue === 0 ? 0 : round1(((revenue - costs) / revenue) * 100) };
}

export function requireTotals(partner: Partner, ref: PeriodRef): PeriodTotals {
  const totals = totalsFor(partner, ref);
  if (totals) return totals;
  const { first, last } = yearsCovered(partner);
  throw new NotFoundError(
    `No figures for ${partner.name} in ${formatPeriod(ref)}; the data covers ${first} to ${last}.`,
  );
}

/** Percentage change from `before` to `after`, one decimal; `undefined` when `before` is zero. */
export function percentChange(before: number, after: number): number | undefined {
  // `|| 0` turns a rounded -0 into 0, so a tiny fall is never reported as "up".
  return before === 0 ? undefined : round1(((after - before) / before) * 100) || 0;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
