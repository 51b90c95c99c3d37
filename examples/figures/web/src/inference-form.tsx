/**
 * The question form. It checks the values with the shared schema before anything is sent; when
 * they fail, each field shows its message and an error summary (linked to the fields) takes focus.
 * While a request runs the submit button is disabled and a progress indicator is visible.
 */
import { Alert, Button, Flex, Heading, Loader, SelectField, TextAreaField, TextField } from '@aws-amplify/ui-react';
import { fieldErrorText } from '@gatehouse/client';
import { type InferenceRequest, LIMITS, PERIODS } from '@gatehouse/example-figures/schema';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  checkInferenceForm,
  type FieldErrors,
  INFERENCE_FIELDS,
  type InferenceField,
  type InferenceFormValues,
  FIELD_LABELS as LABELS,
} from './inference-form-values';

export interface InferenceFormProps {
  values: InferenceFormValues;
  onChange: (values: InferenceFormValues) => void;
  onSubmit: (request: InferenceRequest) => void;
  /** The values failed the check: the previous answer or error no longer belongs beside them. */
  onInvalid: () => void;
  running: boolean;
  /** Field errors the API returned (422), shown like the form's own. */
  serverFieldErrors: FieldErrors;
}

export function InferenceForm({
  values,
  onChange,
  onSubmit,
  onInvalid,
  running,
  serverFieldErrors,
}: InferenceFormProps) {
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const errors: FieldErrors = { ...serverFieldErrors, ...localErrors };
  const failingLocally = INFERENCE_FIELDS.filter((field) => localErrors[field] !== undefined);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const set = (field: InferenceField) => (event: { target: { value: string } }) => {
    onChange({ ...values, [field]: event.target.value });
    if (localErrors[field]) setLocalErrors({ ...localErrors, [field]: undefined });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (running) return;
    const check = checkInferenceForm(values);
    if (!check.ok) {
      setLocalErrors(check.errors);
      setAttempt((n) => n + 1);
      onInvalid();
      return;
    }
    setLocalErrors({});
    onSubmit(check.request);
  };

  const fieldError = (field: InferenceField) => ({
    hasError: errors[field] !== undefined,
    errorMessage:
      errors[field] === undefined ? undefined : fieldErrorText({ path: field, message: errors[field] }, LABELS[field]),
  });

  return (
    <form onSubmit={submit} noValidate aria-labelledby="ask-heading">
      <Flex direction="column" gap="medium">
        <Heading level={2} id="ask-heading">
          Ask about a partner
        </Heading>
        {failingLocally.length > 0 ? (
          <Alert
            ref={summaryRef}
            tabIndex={-1}
            variation="error"
            heading="Please correct the highlighted fields"
            // Focus moves here, which announces it; a live region as well would be read out twice.
            role="group"
            aria-label="Please correct the highlighted fields"
            data-testid="form-error-summary"
          >
            <ul className="error-list">
              {failingLocally.map((field) => (
                <li key={field}>
                  <a href={`#field-${field}`}>
                    {fieldErrorText({ path: field, message: localErrors[field] ?? '' }, LABELS[field])}
                  </a>
                </li>
              ))}
            </ul>
          </Alert>
        ) : null}
        <TextField
          id="field-partner"
          name="partner"
          label={LABELS.partner}
          descriptiveText="Company name, e.g. Acme Corp"
          autoComplete="off"
          value={values.partner}
          onChange={set('partner')}
          {...fieldError('partner')}
        />
        {/* Top-aligned: a field that grows (an error under Year) must not stretch the select and drop its chevron. */}
        <Flex gap="medium" wrap="wrap" alignItems="flex-start">
          <TextField
            id="field-year"
            name="year"
            label={LABELS.year}
            inputMode="numeric"
            placeholder={`${LIMITS.yearMin}–${LIMITS.yearMax}`}
            value={values.year}
            onChange={set('year')}
            flex="1 1 8rem"
            {...fieldError('year')}
          />
          <SelectField
            id="field-period"
            name="period"
            label={LABELS.period}
            placeholder="Choose a period"
            value={values.period}
            onChange={set('period')}
            flex="1 1 8rem"
            {...fieldError('period')}
          >
            {PERIODS.map((period) => (
              <option key={period} value={period}>
                {period}
              </option>
            ))}
          </SelectField>
        </Flex>
        <TextAreaField
          id="field-question"
          name="question"
          label={LABELS.question}
          descriptiveText="e.g. What was the revenue? How did the margin develop?"
          rows={3}
          resize="vertical"
          value={values.question}
          onChange={set('question')}
          {...fieldError('question')}
        />
        <Flex alignItems="center" gap="small">
          <Button type="submit" variation="primary" isDisabled={running}>
            {running ? 'Asking…' : 'Ask'}
          </Button>
          {running ? (
            <Flex alignItems="center" gap="xs" role="status" data-testid="progress">
              <Loader size="small" ariaLabel="Waiting for the answer" />
              <span>Waiting for the answer…</span>
            </Flex>
          ) : null}
        </Flex>
      </Flex>
    </form>
  );
}
