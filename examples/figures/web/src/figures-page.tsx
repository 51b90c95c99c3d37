/**
 * The sample's page: the question form, the latest answer or error, and the questions asked since
 * sign-in. Focus moves to the answer or the error when one arrives, so keyboard and screen-reader
 * users land on what changed.
 */
import './figures-page.css';
import type { InferenceRequest } from '@gatehouse/example-figures/schema';
import { ErrorPanel, type ProjectPanelProps } from '@gatehouse/web/panel';
import { useEffect, useMemo, useRef, useState } from 'react';
import { AnswerPanel } from './answer-panel';
import { figuresApi } from './figures-api';
import { InferenceForm } from './inference-form';
import { EMPTY_FORM, FIELD_LABELS, type FieldErrors, fieldErrorsFrom, formFromRequest } from './inference-form-values';
import { RecentQuestions } from './recent-questions';
import { useInference } from './use-inference';

export function FiguresPage({ clientOptions, onSessionEnded }: ProjectPanelProps) {
  const api = useMemo(() => figuresApi(clientOptions), [clientOptions]);
  const { state, recent, run, clear } = useInference(api, clientOptions.auth, onSessionEnded);
  const [values, setValues] = useState(EMPTY_FORM);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status === 'answered' || state.status === 'failed') outcomeRef.current?.focus();
  }, [state]);

  const serverFieldErrors: FieldErrors = state.status === 'failed' ? fieldErrorsFrom(state.error.fieldErrors) : {};
  const rerun = (request: InferenceRequest) => {
    setValues(formFromRequest(request));
    void run(request);
  };

  return (
    <div className="workspace-grid">
      <section aria-labelledby="ask-heading" className="workspace-form">
        <InferenceForm
          values={values}
          onChange={setValues}
          onSubmit={run}
          onInvalid={clear}
          running={state.status === 'running'}
          serverFieldErrors={serverFieldErrors}
        />
      </section>
      {/* No live region: the answer or error takes focus when it arrives, which announces it once. */}
      <section aria-label="Outcome" className="workspace-outcome">
        {state.status === 'answered' ? <AnswerPanel ref={outcomeRef} result={state.result} /> : null}
        {state.status === 'failed' ? <ErrorPanel ref={outcomeRef} error={state.error} labels={FIELD_LABELS} /> : null}
        <RecentQuestions items={recent} onRerun={rerun} disabled={state.status === 'running'} />
      </section>
    </div>
  );
}
