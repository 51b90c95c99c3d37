import { CORE_ERROR_TYPES, type CorePayload } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import { handler } from '../src/handler';

function payload(input: Record<string, unknown>): CorePayload {
  return {
    input: {
      partner: 'Acme Corp',
      year: 2024,
      period: 'Q3',
      question: 'What was revenue?',
      ...input,
    },
    pathParameters: {},
    identity: { sub: 'sub-1', email: 'demo@example.com', username: 'demo', groups: [] },
    requestMeta: {
      requestId: 'req-1',
      sourceIp: '127.0.0.1',
      userAgent: 'vitest',
      receivedAt: '2026-11-24T10:00:00.000Z',
      routeKey: 'POST /inference',
    },
  };
}

describe('sample core handler', () => {
  it('answers a revenue question with the figure it used', async () => {
    const answer = await handler(payload({}));
    expect(answer.answer).toMatch(/^Acme Corp had revenue of \$[\d,]+ in 2024 Q3\.$/);
    expect(answer.meta).toMatchObject({ partner: 'Acme Corp', year: 2024, period: 'Q3' });
    expect(answer.meta.figures).toEqual([
      { name: 'revenue', label: 'Revenue', value: expect.any(Number), unit: 'USD', period: '2024 Q3' },
    ]);
  });

  it('sums quarters for half years and full years', async () => {
    const [q1, q2] = await Promise.all(['Q1', 'Q2'].map((period) => handler(payload({ period: period as 'Q1' }))));
    const h1 = await handler(payload({ period: 'H1' }));
    const value = (a: typeof h1) => a.meta.figures.find((f) => f.name === 'revenue')?.value;
    expect(value(h1)).toBe((value(q1 as typeof h1) ?? 0) + (value(q2 as typeof h1) ?? 0));
  });

  it('measures growth against the prior period, across a year boundary for Q1', async () => {
    const answer = await handler(payload({ period: 'Q1', question: 'How did revenue grow?' }));
    const prior = answer.meta.figures.find((f) => f.name === 'prior_revenue');
    const growth = answer.meta.figures.find((f) => f.name === 'growth');
    expect(prior?.period).toBe('2023 Q4');
    const current = answer.meta.figures.find((f) => f.name === 'revenue')?.value ?? 0;
    expect(growth?.value).toBeCloseTo(((current - (prior?.value ?? 0)) / (prior?.value ?? 1)) * 100, 1);
    expect(answer.answer).toMatch(/(up|down) [\d.]+% from \$[\d,]+ in 2023 Q4/);
  });

  it('answers margin and summary questions with the figures behind them', async () => {
    const margin = await handler(payload({ question: 'What was the operating margin?' }));
    expect(margin.meta.figures.map((f) => f.name)).toEqual(['margin', 'revenue', 'costs']);
    const [m, r, c] = margin.meta.figures.map((f) => f.value) as [number, number, number];
    expect(m).toBeCloseTo(((r - c) / r) * 100, 1);
    const summary = await handler(payload({ partner: 'umbrella', period: 'FY', question: 'Give me an overview' }));
    expect(summary.meta.partner).toBe('Umbrella Health');
    expect(summary.meta.figures.map((f) => f.name)).toEqual(['revenue', 'costs', 'margin', 'prior_revenue', 'growth']);
  });

  it('says plainly when there is no prior period to compare against', async () => {
    const answer = await handler(payload({ year: 2021, period: 'FY', question: 'growth?' }));
    expect(answer.answer).toContain('no figures for the prior period');
  });

  it.each([
    [{ partner: 'Hooli' }, 'NotFoundError', /No figures for partner "Hooli"\. Known partners: Acme Corp, Globex/],
    [{ year: 2019 }, 'NotFoundError', /No figures for Acme Corp in 2019 Q3; the data covers 2021 to 2025\./],
    [{ question: 'What is the weather?' }, 'UnprocessableError', /can answer questions about revenue/],
    [{ year: 'soon' }, 'ValidationError', /year must be a whole number/],
  ])('throws a typed error the edge maps to a 4xx for %j', async (input, name, message) => {
    const error = await handler(payload(input)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe(name);
    expect((error as Error).message).toMatch(message);
    expect(Object.keys(CORE_ERROR_TYPES)).toContain(name);
  });

  it('rejects a payload that is not the edge contract', async () => {
    await expect(handler({ partner: 'Acme Corp' })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(handler(null)).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
