import { describe, expect, it } from 'vitest';
import { validateInferenceRequest } from '../src/schema';

const valid = { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was revenue?' };

describe('validateInferenceRequest', () => {
  it('accepts a valid request and normalises partner and period', () => {
    const result = validateInferenceRequest({ ...valid, partner: '  Acme Corp ', period: 'q3' });
    expect(result).toEqual({ ok: true, value: valid });
  });

  it.each(['Q1', 'q2', 'H1', 'h2', 'fy', ' FY '])('accepts period %s', (period) => {
    expect(validateInferenceRequest({ ...valid, period }).ok).toBe(true);
  });

  it.each([
    [{ ...valid, partner: '   ' }, 'partner', 'partner must not be empty'],
    [{ ...valid, partner: 'x'.repeat(201) }, 'partner', 'partner must be at most 200 characters'],
    [{ ...valid, year: 2024.5 }, 'year', 'year must be a whole number'],
    [{ ...valid, year: '2024' }, 'year', 'year must be a whole number'],
    [{ ...valid, year: 1899 }, 'year', 'year must be 1900 or later'],
    [{ ...valid, year: 2101 }, 'year', 'year must be 2100 or earlier'],
    [{ ...valid, period: 'Q5' }, 'period', 'period must be one of Q1, Q2, Q3, Q4, H1, H2, FY'],
    [{ ...valid, period: 3 }, 'period', 'period must be one of Q1, Q2, Q3, Q4, H1, H2, FY'],
    [{ ...valid, question: '' }, 'question', 'question must not be empty'],
    [{ ...valid, question: 'x'.repeat(2001) }, 'question', 'question must be at most 2000 characters'],
  ])('rejects %j at %s', (input, path, message) => {
    const result = validateInferenceRequest(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path, message });
  });

  it('names a missing field', () => {
    const { partner: _omitted, ...rest } = valid;
    const result = validateInferenceRequest(rest);
    expect(result).toEqual({ ok: false, errors: [{ path: 'partner', message: 'partner is required' }] });
  });

  it('rejects unknown fields by name', () => {
    const result = validateInferenceRequest({ ...valid, admin: true });
    expect(result).toEqual({ ok: false, errors: [{ path: '', message: 'unknown field(s): admin' }] });
  });

  it.each([null, [], 'text', 42])('rejects a body that is not an object: %j', (input) => {
    const result = validateInferenceRequest(input);
    expect(result.ok).toBe(false);
  });
});
