/**
 * Runs one inference request at a time for the figures page: the client call, its state, the
 * recent questions since sign-in, and the abort when the component unmounts or a new run starts.
 */

import type { ClientAuth } from '@gatehouse/client';
import { AbortedError, describeApiError, type ErrorDescription, SessionEndedError } from '@gatehouse/client';
import type { InferenceRequest } from '@gatehouse/example-figures/schema';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FiguresApi, InferenceResult } from './figures-api';

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

export function useInference(api: FiguresApi, auth: ClientAuth | undefined, onSessionEnded: () => void) {
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
        setRecent((list) => rememberQuestion(list, { id: nextId.current++, request, outcome }));
      try {
        const result = await api.ask(request, controller.signal);
        if (controller.signal.aborted) return;
        setState({ status: 'answered', request, result });
        remember('answered');
      } catch (error) {
        if (error instanceof AbortedError || controller.signal.aborted) return;
        if (error instanceof SessionEndedError) {
          onSessionEnded();
          return;
        }
        setState({ status: 'failed', request, error: describeApiError(error, { auth }) });
        remember('failed');
      } finally {
        if (running.current === controller) running.current = null;
      }
    },
    [api, auth, onSessionEnded],
  );

  /** Forgets the last answer or error, so it never stands beside the form's new errors. */
  const clear = useCallback(() => {
    running.current?.abort();
    setState({ status: 'idle' });
  }, []);

  return { state, recent, run, clear };
}

/** Newest first; asking a question again moves it to the top instead of adding a second row. */
export function rememberQuestion(list: readonly RecentQuestion[], entry: RecentQuestion): RecentQuestion[] {
  const others = list.filter((item) => !sameRequest(item.request, entry.request));
  return [entry, ...others].slice(0, RECENT_LIMIT);
}

function sameRequest(a: InferenceRequest, b: InferenceRequest): boolean {
  return a.partner === b.partner && a.year === b.year && a.period === b.period && a.question === b.question;
}
