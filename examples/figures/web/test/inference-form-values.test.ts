import { describe, expect, it } from 'vitest';
import { checkInferenceForm, EMPTY_FORM, fieldErrorsFrom, formFromRequest } from '../src/inference-form-values';

describe('checkInferenceForm', () => {
  it('turns valid text values into the normalised request', () => {
    const check = checkInferenceForm({ partner: ' Acme Corp ', year: '2024', period: 'Q3', question: ' Revenue? ' });
    expect(check).toEqual({
      ok: true,
      request: { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'Revenue?' },
    });
  });

  it('reports every empty field with the shared schema messages', () => {
    const check = checkInferenceForm(EMPTY_FORM);
    expect(check).toEqual({
      ok: false,
      errors: {
        partner: 'partner must not be empty',
        year: 'year is required',
        period: 'period is required',
        question: 'question must not be empty',
      },
    });
  });

  it('rejects a year that is not a whole number or out of range', () => {
    const base = { partner: 'Acme', period: 'FY', question: 'Revenue?' };
    expect(checkInferenceForm({ ...base, year: 'abc' })).toMatchObject({
      ok: false,
      errors: { year: 'year must be a whole number' },
    });
    expect(checkInferenceForm({ ...base, year: '2024.5' })).toMatchObject({
      ok: false,
      errors: { year: 'year must be a whole number' },
    });
    expect(checkInferenceForm({ ...base, year: '1800' })).toMatchObject({
      ok: false,
      errors: { year: 'year must be 1900 or later' },
    });
  });

  it('round-trips a request into form values', () => {
    const request = { partner: 'Globex', year: 2023, period: 'H1' as const, question: 'Margin?' };
    expect(checkInferenceForm(formFromRequest(request))).toEqual({ ok: true, request });
  });
});

describe('fieldErrorsFrom', () => {
  it('keeps the first message per known field and drops the rest', () => {
    expect(
      fieldErrorsFrom([
        { path: 'year', message: 'first' },
        { path: 'year', message: 'second' },
        { path: '', message: 'unknown field(s): extra' },
      ]),
    ).toEqual({ year: 'first' });
  });
});
