import type { InferenceRequest } from '@gatehouse/example-figures/schema';
import { describe, expect, it } from 'vitest';
import { type RecentQuestion, rememberQuestion } from '../src/use-inference';

const REVENUE: InferenceRequest = { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' };
const MARGIN: InferenceRequest = { ...REVENUE, question: 'How did the margin develop?' };

describe('rememberQuestion', () => {
  it('moves a question asked again to the top instead of adding a second row', () => {
    // Prepare
    const list: RecentQuestion[] = [
      { id: 2, request: MARGIN, outcome: 'answered' },
      { id: 1, request: REVENUE, outcome: 'failed' },
    ];

    // Act
    const next = rememberQuestion(list, { id: 3, request: { ...REVENUE }, outcome: 'answered' });

    // Assess
    expect(next.map((item) => [item.id, item.request.question, item.outcome])).toEqual([
      [3, 'What was the revenue?', 'answered'],
      [2, 'How did the margin develop?', 'answered'],
    ]);
  });

  it('keeps ten at most, newest first', () => {
    let list: RecentQuestion[] = [];
    for (let id = 1; id <= 12; id++) {
      list = rememberQuestion(list, { id, request: { ...REVENUE, question: `Q${id}?` }, outcome: 'answered' });
    }
    expect(list.map((item) => item.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  });
});
