/**
 * Works out which figure a plain-language question asks about. Deliberately simple keyword
 * matching: the sample shows the contract between edge and core, not language understanding.
 */
import { UnprocessableError } from './errors';

export type Topic = 'revenue' | 'costs' | 'margin' | 'growth' | 'summary';

const GROWTH =
  /\b(grow|grew|growth|growing|change|changed|increase|increased|decrease|decreased|trend|compared?|versus|vs)\b/;

/**
 * A named metric wins over the growth words: "Did costs increase?" is about costs, "How did the
 * margin change?" about the margin. Growth is answered for revenue, or when no metric is named.
 */
const METRICS: readonly [Topic, RegExp][] = [
  ['margin', /\b(margin|margins|profit|profits|profitable|profitability|net (?:income|profit))\b/],
  ['costs', /\b(cost|costs|expense|expenses|spend|spent|spending|opex)\b/],
  ['revenue', /\b(revenue|revenues|sales|turnover|income|sold|earn|earned|earnings|top line)\b/],
];

const SUMMARY =
  /\b(summary|summarise|summarize|overview|how did|how was|how is|perform|performance|doing|figures|numbers)\b/;

export const SUPPORTED_TOPICS = 'revenue, costs, margin, growth against the prior period, or a summary';

/**
 * @example
 * topicOf('What was the gross margin?') // → 'margin'
 */
export function topicOf(question: string): Topic {
  const text = question.toLowerCase();
  const metric = METRICS.find(([, pattern]) => pattern.test(text))?.[0];
  if (GROWTH.test(text) && (metric === undefined || metric === 'revenue')) return 'growth';
  if (metric) return metric;
  if (SUMMARY.test(text)) return 'summary';
  throw new UnprocessableError(`This sample can answer questions about ${SUPPORTED_TOPICS}; try "What was revenue?"`);
}
