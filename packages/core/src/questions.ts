/**
 * Works out which figure a plain-language question asks about. Deliberately simple keyword
 * matching: the sample shows the contract between edge and core, not language understanding.
 */
import { UnprocessableError } from './errors';

export type Topic = 'revenue' | 'costs' | 'margin' | 'growth' | 'summary';

const KEYWORDS: readonly [Topic, RegExp][] = [
  [
    'growth',
    /\b(grow|grew|growth|growing|change|changed|increase|increased|decrease|decreased|trend|compared?|versus|vs)\b/,
  ],
  ['margin', /\b(margin|margins|profit|profits|profitable|profitability|earnings|net)\b/],
  ['costs', /\b(cost|costs|expense|expenses|spend|spent|spending|opex)\b/],
  ['revenue', /\b(revenue|revenues|sales|turnover|income|sold|earn|earned|top line)\b/],
  [
    'summary',
    /\b(summary|summarise|summarize|overview|how did|how was|how is|perform|performance|doing|figures|numbers)\b/,
  ],
];

export const SUPPORTED_TOPICS = 'revenue, costs, margin, growth against the prior period, or a summary';

/**
 * @example
 * topicOf('What was the gross margin?') // → 'margin'
 */
export function topicOf(question: string): Topic {
  const text = question.toLowerCase();
  for (const [topic, pattern] of KEYWORDS) if (pattern.test(text)) return topic;
  throw new UnprocessableError(`This sample can answer questions about ${SUPPORTED_TOPICS}; try "What was revenue?"`);
}
