import { describe, expect, it } from 'vitest';
import { percentChange } from '../src/figures';
import { topicOf } from '../src/questions';

describe('topicOf', () => {
  it.each([
    ['What was the revenue?', 'revenue'],
    ['What was net revenue?', 'revenue'],
    ['How did revenue grow?', 'growth'],
    ['Did sales increase compared to last quarter?', 'growth'],
    ['How did they grow?', 'growth'],
    ['Did costs increase in Q3?', 'costs'],
    ['How did the margin change?', 'margin'],
    ['What was net income?', 'margin'],
    ['Give me an overview', 'summary'],
    ['How did Acme perform?', 'summary'],
  ])('%s → %s', (question, topic) => {
    expect(topicOf(question)).toBe(topic);
  });

  it('refuses a question it cannot answer, saying what it can', () => {
    expect(() => topicOf('What is the weather?')).toThrow(/can answer questions about revenue, costs, margin/);
  });
});

describe('percentChange', () => {
  it('never reports a tiny fall as a negative zero', () => {
    expect(Object.is(percentChange(1_000_000, 999_999), 0)).toBe(true);
    expect(percentChange(100, 110)).toBe(10);
    expect(percentChange(0, 5)).toBeUndefined();
  });
});
