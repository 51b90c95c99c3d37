/**
 * Turns a request into the sample's answer: a sentence a person can read, and the figures it was
 * built from, so the caller can show its working.
 */
import type { Figure, InferenceAnswer, InferenceRequest } from '../../src/schema';
import { findPartner, partnerNames } from './dataset';
import { NotFoundError } from './errors';
import { type PeriodTotals, percentChange, requireTotals, totalsFor } from './figures';
import { formatPeriod, previousPeriod } from './periods';
import { type Topic, topicOf } from './questions';

export function answerQuestion(input: InferenceRequest): InferenceAnswer {
  const partner = findPartner(input.partner);
  if (!partner) {
    throw new NotFoundError(`No figures for partner "${input.partner}". Known partners: ${partnerNames().join(', ')}.`);
  }
  const topic = topicOf(input.question);
  const current = requireTotals(partner, { year: input.year, period: input.period });
  const prior = totalsFor(partner, previousPeriod(current.ref));
  const figures = figuresFor(topic, current, prior);
  return {
    answer: sentenceFor(topic, partner.name, current, prior),
    meta: { partner: partner.name, year: input.year, period: input.period, figures },
  };
}

function figuresFor(topic: Topic, current: PeriodTotals, prior: PeriodTotals | undefined): Figure[] {
  const period = formatPeriod(current.ref);
  const revenue: Figure = { name: 'revenue', label: 'Revenue', value: current.revenue, unit: 'USD', period };
  const costs: Figure = { name: 'costs', label: 'Costs', value: current.costs, unit: 'USD', period };
  const margin: Figure = { name: 'margin', label: 'Operating margin', value: current.marginPct, unit: '%', period };
  const growth = prior ? percentChange(prior.revenue, current.revenue) : undefined;
  const growthFigures: Figure[] =
    prior && growth !== undefined
      ? [
          {
            name: 'prior_revenue',
            label: 'Revenue',
            value: prior.revenue,
            unit: 'USD',
            period: formatPeriod(prior.ref),
          },
          { name: 'growth', label: 'Revenue growth', value: growth, unit: '%', period },
        ]
      : [];
  switch (topic) {
    case 'revenue':
      return [revenue];
    case 'costs':
      return [costs, revenue];
    case 'margin':
      return [margin, revenue, costs];
    case 'growth':
      return [revenue, ...growthFigures];
    case 'summary':
      return [revenue, costs, margin, ...growthFigures];
  }
}

function sentenceFor(topic: Topic, name: string, current: PeriodTotals, prior: PeriodTotals | undefined): string {
  const period = formatPeriod(current.ref);
  const growth = prior ? percentChange(prior.revenue, current.revenue) : undefined;
  const growthText =
    prior && growth !== undefined
      ? `${growth > 0 ? 'up' : growth < 0 ? 'down' : 'unchanged'}${growth === 0 ? '' : ` ${Math.abs(growth)}%`} from ${usd(prior.revenue)} in ${formatPeriod(prior.ref)}`
      : 'with no figures for the prior period to compare against';
  switch (topic) {
    case 'revenue':
      return `${name} had revenue of ${usd(current.revenue)} in ${period}.`;
    case 'costs':
      return `${name} had costs of ${usd(current.costs)} in ${period}, against revenue of ${usd(current.revenue)}.`;
    case 'margin':
      return `${name}'s operating margin in ${period} was ${current.marginPct}% (revenue ${usd(current.revenue)}, costs ${usd(current.costs)}).`;
    case 'growth':
      return `${name}'s revenue in ${period} was ${usd(current.revenue)}, ${growthText}.`;
    case 'summary':
      return `In ${period}, ${name} had revenue of ${usd(current.revenue)} (${growthText}), costs of ${usd(current.costs)} and an operating margin of ${current.marginPct}%.`;
  }
}

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

function usd(amount: number): string {
  return usdFormat.format(amount);
}
