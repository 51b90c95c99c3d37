import { makeProblem } from '@gatehouse/contract';
import type { InferenceAnswer, InferenceRequest } from '@gatehouse/example-figures/schema';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  HttpError,
  IdentityUnavailableError,
  NetworkError,
  SessionEndedError,
  TimeoutError,
  UnexpectedAnswerError,
} from '../src/api/api-errors';
import { createInferenceClient, retryAfterSeconds, type TokenSource } from '../src/api/inference-client';

const API_URL = 'http://127.0.0.1:4000/prod';
const REQUEST: InferenceRequest = { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' };
const ANSWER: InferenceAnswer = {
  answer: 'Acme Corp had revenue of $14,200,000 in 2024 Q3.',
  meta: {
    partner: 'Acme Corp',
    year: 2024,
    period: 'Q3',
    figures: [{ name: 'revenue', label: 'Revenue', value: 14_200_000, unit: 'USD', period: '2024 Q3' }],
  },
};

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A fetch that answers from a queue and records what it was asked. */
function scriptedFetch(answers: Array<Response | Error | ((init: RequestInit | undefined) => Promise<Response>)>) {
  const calls: Call[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), init });
    const next = answers.shift();
    if (next === undefined) throw new Error(`unexpected fetch to ${String(input)}`);
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(init);
    return next;
  };
  return { fetchFn: fetchFn as typeof fetch, calls };
}

/** Tokens that hand out `id-<n>`, counting forced refreshes and sign-outs. */
function fakeTokens(options: { afterRefresh?: string | undefined; initial?: string | undefined } = {}) {
  const state = { refreshes: 0, signOuts: 0 };
  const tokens: TokenSource = {
    async idToken({ forceRefresh }) {
      if (!forceRefresh) return 'initial' in options ? options.initial : 'token-1';
      state.refreshes++;
      return 'afterRefresh' in options ? options.afterRefresh : 'token-2';
    },
    async signOut() {
      state.signOuts++;
    },
  };
  return { tokens, state };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const contentType = status >= 400 && typeof body === 'object' && body && 'code' in body ? 'problem+json' : 'json';
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': `application/${contentType}`, ...headers },
  });
}

const unauthorized = () =>
  json(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer error="invalid_token"' });

describe('createInferenceClient', () => {
  it('posts the request with the ID token and returns the answer, request id and Server-Timing figures', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([
      json(200, ANSWER, { 'x-request-id': 'req-1', 'server-timing': 'edge;dur=12.5, core;dur=4' }),
    ]);
    let clock = 100;
    const client = createInferenceClient({
      apiUrl: `${API_URL}/`,
      tokens: fakeTokens().tokens,
      fetch: fetchFn,
      now: () => (clock += 20),
    });

    // Act
    const result = await client.ask(REQUEST);

    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(`${API_URL}/inference`);
    expect(calls[0]?.init?.method).toBe('POST');
    expect(calls[0]?.init?.headers).toMatchObject({ authorization: 'token-1', 'content-type': 'application/json' });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual(REQUEST);
    expect(result).toEqual({ answer: ANSWER, requestId: 'req-1', timing: { totalMs: 20, edgeMs: 12.5, coreMs: 4 } });
  });

  it('refreshes the token once after a 401 and retries with the new one', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([unauthorized(), json(200, ANSWER)]);
    const { tokens, state } = fakeTokens();
    const client = createInferenceClient({ apiUrl: API_URL, tokens, fetch: fetchFn });

    // Act
    const result = await client.ask(REQUEST);

    // Assess
    expect(result.answer).toEqual(ANSWER);
    expect(state).toEqual({ refreshes: 1, signOuts: 0 });
    expect(calls.map((c) => (c.init?.headers as Record<string, string> | undefined)?.authorization)).toEqual([
      'token-1',
      'token-2',
    ]);
  });

  it('signs out when the refreshed token is rejected too', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([unauthorized(), unauthorized()]);
    const { tokens, state } = fakeTokens();
    const client = createInferenceClient({ apiUrl: API_URL, tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(SessionEndedError);
    expect((failure as SessionEndedError).reason).toBe('token-rejected');
    expect(state).toEqual({ refreshes: 1, signOuts: 1 });
    expect(calls).toHaveLength(2);
  });

  it('neither refreshes nor signs out when the API wants another kind of token', async () => {
    // Prepare
    const problem = makeProblem('wrong_token_use', 'This API expects an access token but received an ID token.', 'r-1');
    const { fetchFn, calls } = scriptedFetch([json(401, problem, { 'x-request-id': 'r-1' })]);
    const { tokens, state } = fakeTokens();
    const client = createInferenceClient({ apiUrl: API_URL, tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(HttpError);
    expect((failure as HttpError).problem?.code).toBe('wrong_token_use');
    expect(state).toEqual({ refreshes: 0, signOuts: 0 });
    expect(calls).toHaveLength(1);
  });

  it('sends nothing more when the caller aborts while the token is being refreshed', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([unauthorized()]);
    const controller = new AbortController();
    const tokens: TokenSource = {
      async idToken({ forceRefresh }) {
        if (forceRefresh) controller.abort();
        return forceRefresh ? 'token-2' : 'token-1';
      },
      async signOut() {},
    };
    const client = createInferenceClient({ apiUrl: API_URL, tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST, controller.signal).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(AbortedError);
    expect(calls).toHaveLength(1);
  });

  it('signs out without retrying when the refresh yields no token', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([unauthorized()]);
    const { tokens, state } = fakeTokens({ afterRefresh: undefined });
    const client = createInferenceClient({ apiUrl: API_URL, tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(SessionEndedError);
    expect((failure as SessionEndedError).reason).toBe('no-session');
    expect(state.signOuts).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('sends nothing when nobody is signed in', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([]);
    const { tokens, state } = fakeTokens({ initial: undefined });
    const client = createInferenceClient({ apiUrl: API_URL, tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(SessionEndedError);
    expect(calls).toHaveLength(0);
    expect(state.signOuts).toBe(1);
  });

  it('keeps the session and sends nothing when the identity service cannot renew a token', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([]);
    let signOuts = 0;
    const tokens: TokenSource = {
      idToken: async () => {
        throw new IdentityUnavailableError('network down');
      },
      signOut: async () => {
        signOuts++;
      },
    };
    const client = createInferenceClient({ apiUrl: API_URL, tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(IdentityUnavailableError);
    expect(signOuts).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('turns a problem body into an HttpError carrying the problem and its request id', async () => {
    // Prepare
    const problem = makeProblem('validation_failed', 'The body failed validation.', 'req-422', [
      { path: 'year', message: 'year must be 1900 or later' },
    ]);
    const { fetchFn } = scriptedFetch([json(422, problem, { 'x-request-id': 'req-422' })]);
    const client = createInferenceClient({ apiUrl: API_URL, tokens: fakeTokens().tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).toMatchObject({ status: 422, problem, requestId: 'req-422', bodyMessage: undefined });
  });

  it("keeps the gateway's message and Retry-After for a non-problem error body", async () => {
    // Prepare
    const { fetchFn } = scriptedFetch([json(429, { message: 'Too Many Requests' }, { 'retry-after': '7' })]);
    const client = createInferenceClient({ apiUrl: API_URL, tokens: fakeTokens().tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 429, problem: undefined, bodyMessage: 'Too Many Requests' });
    expect((failure as HttpError).retryAfterSeconds).toBe(7);
  });

  it('rejects a 200 whose body is not an answer', async () => {
    // Prepare
    const { fetchFn } = scriptedFetch([json(200, { answer: 'ok' }, { 'x-request-id': 'req-bad' })]);
    const client = createInferenceClient({ apiUrl: API_URL, tokens: fakeTokens().tokens, fetch: fetchFn });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(UnexpectedAnswerError);
    expect((failure as UnexpectedAnswerError).requestId).toBe('req-bad');
  });

  it('calls a failed fetch a CORS refusal when an opaque probe reaches the API', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([new TypeError('Failed to fetch'), new Response(null, { status: 200 })]);
    const client = createInferenceClient({
      apiUrl: API_URL,
      tokens: fakeTokens().tokens,
      fetch: fetchFn,
      isOnline: () => true,
      pageOrigin: 'http://127.0.0.1:5999',
    });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(NetworkError);
    expect(failure).toMatchObject({ kind: 'cors', apiUrl: API_URL, pageOrigin: 'http://127.0.0.1:5999' });
    expect(calls[1]?.init?.mode).toBe('no-cors');
  });

  it('calls a failed fetch unreachable when the probe fails too, and offline when the browser says so', async () => {
    // Prepare
    const unreachable = scriptedFetch([new TypeError('Failed to fetch'), new TypeError('Failed to fetch')]);
    const offline = scriptedFetch([new TypeError('Failed to fetch')]);
    const tokens = fakeTokens().tokens;

    // Act
    const first = await createInferenceClient({
      apiUrl: API_URL,
      tokens,
      fetch: unreachable.fetchFn,
      isOnline: () => true,
    })
      .ask(REQUEST)
      .catch((error: unknown) => error);
    const second = await createInferenceClient({
      apiUrl: API_URL,
      tokens,
      fetch: offline.fetchFn,
      isOnline: () => false,
    })
      .ask(REQUEST)
      .catch((error: unknown) => error);

    // Assess
    expect(first).toMatchObject({ kind: 'unreachable' });
    expect(second).toMatchObject({ kind: 'offline' });
    expect(offline.calls).toHaveLength(1);
  });

  it('gives up with a TimeoutError when the API does not answer in time', async () => {
    // Prepare
    const hang = (init: RequestInit | undefined) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const { fetchFn } = scriptedFetch([hang]);
    const client = createInferenceClient({
      apiUrl: API_URL,
      tokens: fakeTokens().tokens,
      fetch: fetchFn,
      timeoutMs: 20,
    });

    // Act
    const failure = await client.ask(REQUEST).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(TimeoutError);
    expect((failure as TimeoutError).timeoutMs).toBe(20);
  });

  it('aborts the request in flight when the caller aborts (component unmounted)', async () => {
    // Prepare
    let requestSignal: AbortSignal | undefined;
    const hang = (init: RequestInit | undefined) =>
      new Promise<Response>((_resolve, reject) => {
        requestSignal = init?.signal ?? undefined;
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const { fetchFn } = scriptedFetch([hang]);
    const client = createInferenceClient({ apiUrl: API_URL, tokens: fakeTokens().tokens, fetch: fetchFn });
    const caller = new AbortController();

    // Act
    const pending = client.ask(REQUEST, caller.signal).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 5));
    caller.abort();
    const failure = await pending;

    // Assess
    expect(failure).toBeInstanceOf(AbortedError);
    expect(requestSignal?.aborted).toBe(true);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(retryAfterSeconds('30', now)).toBe(30);
    expect(retryAfterSeconds('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });
});
