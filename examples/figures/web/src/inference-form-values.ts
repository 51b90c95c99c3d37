/**
 * The inference form's values as typed (all strings) and their check against the shared schema,
 * so the browser refuses what the edge would refuse, with the same words, before any request.
 */
import {
  type InferenceRequest,
  type InferenceRequestInput,
  validateInferenceRequest,
} from '@gatehouse/example-figures/schema';

export interface InferenceFormValues {
  partner: string;
  year: string;
  period: string;
  question: string;
}

export type InferenceField = keyof InferenceFormValues;

export const INFERENCE_FIELDS: readonly InferenceField[] = ['partner', 'year', 'period', 'question'];

export const FIELD_LABELS: Readonly<Record<InferenceField, string>> = {
  partner: 'Partner',
  year: 'Year',
  period: 'Period',
  question: 'Question',
};

export const EMPTY_FORM: InferenceFormValues = { partner: '', year: '', period: '', question: '' };

export type FieldErrors = Partial<Record<InferenceField, string>>;

export type FormCheck = { ok: true; request: InferenceRequest } | { ok: false; errors: FieldErrors };

export function checkInferenceForm(values: InferenceFormValues): FormCheck {
  const result = validateInferenceRequest(toInput(values));
  if (result.ok) return { ok: true, request: result.value };
  return { ok: false, errors: fieldErrorsFrom(result.errors) };
}

/** Field errors keyed by form field; the first message per field wins, unknown paths are dropped. */
export function fieldErrorsFrom(errors: readonly { path: string; message: string }[]): FieldErrors {
  const byField: FieldErrors = {};
  for (const { path, message } of errors) {
    const field = INFERENCE_FIELDS.find((name) => name === path);
    if (field && byField[field] === undefined) byField[field] = message;
  }
  return byField;
}

export function formFromRequest(request: InferenceRequest): InferenceFormValues {
  return { partner: request.partner, year: String(request.year), period: request.period, question: request.question };
}

function toInput(values: InferenceFormValues): Partial<Record<keyof InferenceRequestInput, unknown>> {
  const year = values.year.trim();
  return {
    partner: values.partner,
    // An empty field is "required"; anything else goes through as a number, or as text the schema calls not a number.
    year: year === '' ? undefined : Number.isNaN(Number(year)) ? year : Number(year),
    period: values.period === '' ? undefined : values.period,
    question: values.question,
  };
}
