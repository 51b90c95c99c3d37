/**
 * What a signed-in user sees: who they are, the form, the latest answer or error, and the
 * questions asked since sign-in. Focus moves to the answer or the error when one arrives, so
 * keyboard and screen-reader users land on what changed.
 */
import { Button, Flex, Text, View } from '@aws-amplify/ui-react';
import type { WebConfig } from '@gatehouse/contract';
import type { InferenceRequest } from '@gatehouse/example-figures/schema';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createInferenceClient } from '../api/inference-client';
import { amplifyTokens } from '../auth/amplify-tokens';
import { EMPTY_FORM, type FieldErrors, fieldErrorsFrom, formFromRequest } from '../form/inference-form-values';
import { AnswerPanel } from './answer-panel';
import { ErrorPanel } from './error-panel';
import { InferenceForm } from './inference-form';
import { RecentQuestions } from './recent-questions';
import { useInference } from './use-inference';

export interface WorkspaceProps {
  config: WebConfig;
  username: string;
  onSignOut: () => void;
  onSignedIn: () => void;
  onSessionEnded: () => void;
}

export function Workspace({ config, username, onSignOut, onSignedIn, onSessionEnded }: WorkspaceProps) {
  const client = useMemo(
    () => createInferenceClient({ apiUrl: config.apiUrl, tokens: amplifyTokens, pageOrigin: window.location.origin }),
    [config.apiUrl],
  );
  const { state, recent, run } = useInference(client, onSessionEnded);
  const [values, setValues] = useState(EMPTY_FORM);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => onSignedIn(), [onSignedIn]);
  useEffect(() => {
    if (state.status === 'answered' || state.status === 'failed') outcomeRef.current?.focus();
  }, [state]);

  const serverFieldErrors: FieldErrors = state.status === 'failed' ? fieldErrorsFrom(state.error.fieldErrors) : {};
  const rerun = (request: InferenceRequest) => {
    setValues(formFromRequest(request));
    void run(request);
  };

  return (
    <View as="main" className="workspace">
      <Flex as="nav" aria-label="Account" justifyContent="space-between" alignItems="center" wrap="wrap">
        <Text>
          Signed in as <strong data-testid="signed-in-user">{username}</strong>
        </Text>
        <Button size="small" onClick={onSignOut}>
          Sign out
        </Button>
      </Flex>
      <div className="workspace-grid">
        <section aria-labelledby="ask-heading" className="workspace-form">
          <InferenceForm
            values={values}
            onChange={setValues}
            onSubmit={run}
            running={state.status === 'running'}
            serverFieldErrors={serverFieldErrors}
          />
        </section>
        {/* No live region: the answer or error takes focus when it arrives, which announces it once. */}
        <section aria-label="Outcome" className="workspace-outcome">
          {state.status === 'answered' ? <AnswerPanel ref={outcomeRef} result={state.result} /> : null}
          {state.status === 'failed' ? <ErrorPanel ref={outcomeRef} error={state.error} /> : null}
          <RecentQuestions items={recent} onRerun={rerun} disabled={state.status === 'running'} />
        </section>
      </div>
    </View>
  );
}
