/**
 * Runs one inference request at a time for the workspace: the client call, its state, the
 * recent questions since sign-in, and the abort when the component unmounts or a new run starts.
 */
import type { InferenceRequest } from '@gatehouse/example-figures/schema';
import { useCallback, useEffect, useRef, useState } from 'react';
import { AbortedError, SessionEndedError } from '../api/api-errors';
import { describeApiError, type ErrorDescription } from '../api/error-message';
import type { InferenceClient, InferenceResult } from '../api/inference-client';

export type InferenceState =
  | { status: 'idle' }
  | { status: 'running'; request: InferenceRequest }
  | { status: 'answered'; request: InferenceRequest; result: InferenceResult }
  | { status: 'failed'; request: InferenceRequest; error: ErrorDescription };

export interface RecentQuestion {
  id: number;
  request: InferenceRequest;
  outcome: 'answered' | 'failed';
}

const RECENT_LIMIT = 10;

export function useInference(client: InferenceClient, onSessionEnded: () => void) {
  const [state, setState] = useState<InferenceState>({ status: 'idle' });
  const [recent, setRecent] = useState<RecentQuestion[]>([]);
  const running = useRef<AbortController | null>(null);
  const nextId = useRef(1);

  useEffect(() => () => running.current?.abort(), []);

  const run = useCallback(
    async (request: InferenceRequest) => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      setState({ status: 'running', request });
      const remember = (outcome: RecentQuestion['outcome']) =>
        setRecent((list) => [{ id: nextId.current++, request, outcome }, ...list].slice(0, RECENT_LIMIT));
      try {
        const result = await client.ask(request, controller.signal);
        if (controller.signal.aborted) return;
        setState({ status: 'answered', request, result });
        remember('answered');
      } catch (error) {
        if (error instanceof AbortedError || controller.signal.aborted) return;
        if (error instanceof SessionEndedError) {
          onSessionEnded();
          return;
        }
        setState({ status: 'failed', request, error: describeApiError(error) });
        remember('failed');
      } finally {
        if (running.current === controller) running.current = null;
      }
    },
    [client, onSessionEnded],
  );

  return { state, recent, run };
}
