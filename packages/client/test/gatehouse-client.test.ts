import { defineConfig, makeProblem } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  AbortedError,
  createGatehouseClient,
  HttpError,
  IdentityUnavailableError,
  NetworkError,
  ProblemError,
  RoutePathError,
  SessionEndedError,
  TimeoutError,
  UnexpectedAnswerError,
} from '../src/index';
import { createJobHandle } from '../src/job-handle';

const API_URL = 'http://127.0.0.1:4000/prod';

/** A project of three routes, as an adopter would write it; the client is typed from it. */
const config = defineConfig({
  routes: {
    'POST /ask': {
      core: 'ask',
      schema: z.strictObject({ prompt: z.string(), temperature: z.optional(z.number()) }),
    },
    'GET /items/{id}': { core: 'ask', schema: z.object({ verbose: z.optional(z.string()) }) },
    'ANY /files/{proxy+}': { core: 'ask' },
  },
  cores: { ask: { runtime: 'python3.12', code: './core', handler: 'handler.handler' } },
});
type Config = typeof config;

const INPUT = { prompt: 'Say hello', temperature: 0.2 };
const ANSWER = { text: 'Hello' };

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

/** Tokens that hand out `token-<n>`, counting forced refreshes and ended sessions. */
function fakeTokens(options: { afterRefresh?: string | undefined; initial?: string | undefined } = {}) {
  const state = { refreshes: 0, signOuts: 0 };
  const tokens = {
    async getToken({ forceRefresh }: { forceRefresh: boolean }) {
      if (!forceRefresh) return 'initial' in options ? options.initial : 'token-1';
      state.refreshes++;
      return 'afterRefresh' in options ? options.afterRefresh : 'token-2';
    },
    async onSessionEnded() {
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

function client(options: Partial<Parameters<typeof createGatehouseClient>[0]> & { fetch: typeof fetch }) {
  return createGatehouseClient<Config>({ apiUrl: API_URL, ...fakeTokens().tokens, ...options });
}

const headerOf = (call: Call | undefined, name: string) =>
  ((call?.init?.headers ?? {}) as Record<string, string>)[name];

describe('createGatehouseClient', () => {
  it('posts the input with the ID token and returns the body, request id and Server-Timing figures', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([
      json(200, ANSWER, { 'x-request-id': 'req-1', 'server-timing': 'edge;dur=12.5, core;dur=4' }),
    ]);
    let clock = 100;
    const api = createGatehouseClient<Config>({
      apiUrl: `${API_URL}/`,
      ...fakeTokens().tokens,
      fetch: fetchFn,
      now: () => (clock += 20),
    });

    // Act
    const result = await api.call('POST /ask', INPUT);

    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(`${API_URL}/ask`);
    expect(calls[0]?.init?.method).toBe('POST');
    expect(calls[0]?.init?.headers).toMatchObject({ authorization: 'token-1', 'content-type': 'application/json' });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual(INPUT);
    expect(result).toMatchObject({
      status: 200,
      body: ANSWER,
      requestId: 'req-1',
      timing: { totalMs: 20, edgeMs: 12.5, coreMs: 4 },
    });
  });

  it('builds the path from the route key, encoding each parameter, and sends a GET input as the query', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([json(200, {}), json(200, {})]);
    const api = client({ fetch: fetchFn });

    // Act
    await api.call('GET /items/{id}', { verbose: 'yes' }, { pathParameters: { id: 'a/b c' }, query: { page: 2 } });
    await api.call('ANY /files/{proxy+}', undefined, { pathParameters: { proxy: 'docs/a b.txt' }, method: 'DELETE' });

    // Assess
    expect(calls[0]?.url).toBe(`${API_URL}/items/a%2Fb%20c?verbose=yes&page=2`);
    expect(calls[0]?.init?.method).toBe('GET');
    expect(calls[0]?.init?.body).toBeUndefined();
    expect(headerOf(calls[0], 'content-type')).toBeUndefined();
    expect(calls[1]?.url).toBe(`${API_URL}/files/docs/a%20b.txt`);
    expect(calls[1]?.init?.method).toBe('DELETE');
  });

  it('refuses a call whose path parameters are missing, before sending anything', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([]);

    // Act
    const failure = await client({ fetch: fetchFn })
      .call('GET /items/{id}', {})
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(RoutePathError);
    expect((failure as Error).message).toContain('{id}');
    expect(calls).toHaveLength(0);
  });

  it('sends a raw body as typed, so a console can show what the edge says of it', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([json(200, {})]);

    // Act
    await createGatehouseClient({ apiUrl: API_URL, ...fakeTokens().tokens, fetch: fetchFn }).call(
      'POST /ask',
      undefined,
      { rawBody: '{"prompt": ' },
    );

    // Assess
    expect(calls[0]?.init?.body).toBe('{"prompt": ');
  });

  it('refreshes the token once after a 401 and retries with the new one', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([unauthorized(), json(200, ANSWER)]);
    const { tokens, state } = fakeTokens();
    const api = createGatehouseClient<Config>({ apiUrl: API_URL, ...tokens, fetch: fetchFn });

    // Act
    const result = await api.call('POST /ask', INPUT);

    // Assess
    expect(result.body).toEqual(ANSWER);
    expect(state).toEqual({ refreshes: 1, signOuts: 0 });
    expect(calls.map((c) => headerOf(c, 'authorization'))).toEqual(['token-1', 'token-2']);
  });

  it('ends the session when the refreshed token is rejected too', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([unauthorized(), unauthorized()]);
    const { tokens, state } = fakeTokens();
    const api = createGatehouseClient<Config>({ apiUrl: API_URL, ...tokens, fetch: fetchFn });

    // Act
    const failure = await api.call('POST /ask', INPUT).catch((error: unknown) => error);

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
    const api = createGatehouseClient<Config>({ apiUrl: API_URL, ...tokens, fetch: fetchFn });

    // Act
    const failure = await api.call('POST /ask', INPUT).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ProblemError);
    expect((failure as ProblemError).code).toBe('wrong_token_use');
    expect(state).toEqual({ refreshes: 0, signOuts: 0 });
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['api-key', { mode: 'lambda', lambda: 'api-key' }, 401],
    ['iam', { mode: 'iam' }, 403],
    ['none', { mode: 'none' }, 401],
  ] as const)('in %s mode a refusal is an HttpError: no refresh, no sign-out', async (_name, auth, status) => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([json(status, { message: 'Unauthorized' })]);
    const { tokens, state } = fakeTokens();
    const api = createGatehouseClient<Config>({ apiUrl: API_URL, ...tokens, auth, fetch: fetchFn });

    // Act
    const failure = await api.call('POST /ask', INPUT).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).not.toBeInstanceOf(SessionEndedError);
    expect((failure as HttpError).status).toBe(status);
    expect(state).toEqual({ refreshes: 0, signOuts: 0 });
    expect(calls).toHaveLength(1);
  });

  it('sends no JWT to an IAM-authorised API, and extra headers to any', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([json(200, {}), json(200, {})]);

    // Act
    await client({ fetch: fetchFn, auth: { mode: 'iam' } }).call('POST /ask', INPUT);
    await client({ fetch: fetchFn, auth: { mode: 'lambda', lambda: 'api-key' }, headers: { 'x-api-key': 'k-1' } }).call(
      'POST /ask',
      INPUT,
    );

    // Assess
    expect(headerOf(calls[0], 'authorization')).toBeUndefined();
    expect(headerOf(calls[1], 'x-api-key')).toBe('k-1');
  });

  it('sends nothing more when the caller aborts while the token is being refreshed', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([unauthorized()]);
    const controller = new AbortController();
    const api = createGatehouseClient<Config>({
      apiUrl: API_URL,
      fetch: fetchFn,
      async getToken({ forceRefresh }) {
        if (forceRefresh) controller.abort();
        return forceRefresh ? 'token-2' : 'token-1';
      },
    });

    // Act
    const failure = await api.call('POST /ask', INPUT, { signal: controller.signal }).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(AbortedError);
    expect(calls).toHaveLength(1);
  });

  it('ends the session without retrying when the refresh yields no token', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([unauthorized()]);
    const { tokens, state } = fakeTokens({ afterRefresh: undefined });

    // Act
    const failure = await client({ ...tokens, fetch: fetchFn })
      .call('POST /ask', INPUT)
      .catch((error: unknown) => error);

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

    // Act
    const failure = await client({ ...tokens, fetch: fetchFn })
      .call('POST /ask', INPUT)
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(SessionEndedError);
    expect(calls).toHaveLength(0);
    expect(state.signOuts).toBe(1);
  });

  it('keeps the session and sends nothing when the identity service cannot renew a token', async () => {
    // Prepare
    const { fetchFn, calls } = scriptedFetch([]);
    let signOuts = 0;

    // Act
    const failure = await client({
      fetch: fetchFn,
      getToken: async () => {
        throw new IdentityUnavailableError('network down');
      },
      onSessionEnded: () => {
        signOuts++;
      },
    })
      .call('POST /ask', INPUT)
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(IdentityUnavailableError);
    expect(signOuts).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('turns a problem body into a ProblemError with its code, field errors, request id and timing', async () => {
    // Prepare
    const problem = makeProblem('validation_failed', 'The body failed validation.', 'req-422', [
      { path: 'prompt', message: 'prompt is required' },
    ]);
    const { fetchFn } = scriptedFetch([
      json(422, problem, { 'x-request-id': 'req-422', 'server-timing': 'edge;dur=0.4' }),
    ]);

    // Act
    const failure = await client({ fetch: fetchFn })
      .call('POST /ask', INPUT)
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ProblemError);
    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ path: 'prompt', message: 'prompt is required' }],
      requestId: 'req-422',
      problem,
      body: problem,
      serverTiming: { edge: 0.4 },
    });
  });

  it("keeps the gateway's message and Retry-After for a non-problem error body", async () => {
    // Prepare
    const { fetchFn } = scriptedFetch([json(429, { message: 'Too Many Requests' }, { 'retry-after': '7' })]);

    // Act
    const failure = await client({ fetch: fetchFn })
      .call('POST /ask', INPUT)
      .catch((error: unknown) => error);

    // Assess
    expect(failure).not.toBeInstanceOf(ProblemError);
    expect(failure).toMatchObject({ status: 429, bodyMessage: 'Too Many Requests', retryAfterSeconds: 7 });
  });

  it("rejects a 2xx whose body the caller's check refuses", async () => {
    // Prepare
    const { fetchFn } = scriptedFetch([json(200, { answer: 'ok' }, { 'x-request-id': 'req-bad' })]);
    const isText = (body: unknown): body is { text: string } =>
      typeof (body as { text?: unknown } | null)?.text === 'string';

    // Act
    const failure = await client({ fetch: fetchFn })
      .call('POST /ask', INPUT, { accept: isText })
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(UnexpectedAnswerError);
    expect((failure as UnexpectedAnswerError).requestId).toBe('req-bad');
  });

  it('calls a failed fetch a CORS refusal when an opaque probe reaches the API', async () => {
    // Prepare
    const cause = new TypeError('Failed to fetch');
    const { fetchFn, calls } = scriptedFetch([cause, new Response(null, { status: 200 })]);

    // Act
    const failure = await client({ fetch: fetchFn, isOnline: () => true, pageOrigin: 'http://127.0.0.1:5999' })
      .call('POST /ask', INPUT)
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(NetworkError);
    expect(failure).toMatchObject({ kind: 'cors', apiUrl: API_URL, pageOrigin: 'http://127.0.0.1:5999', cause });
    expect(calls[1]?.init?.mode).toBe('no-cors');
  });

  it('calls a failed fetch unreachable when the probe fails too, and offline when the browser says so', async () => {
    // Prepare
    const unreachable = scriptedFetch([new TypeError('Failed to fetch'), new TypeError('Failed to fetch')]);
    const offline = scriptedFetch([new TypeError('Failed to fetch')]);

    // Act
    const first = await client({ fetch: unreachable.fetchFn, isOnline: () => true })
      .call('POST /ask', INPUT)
      .catch((error: unknown) => error);
    const second = await client({ fetch: offline.fetchFn, isOnline: () => false })
      .call('POST /ask', INPUT)
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

    // Act
    const failure = await client({ fetch: fetchFn, timeoutMs: 20 })
      .call('POST /ask', INPUT)
      .catch((error: unknown) => error);

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
    const caller = new AbortController();

    // Act
    const pending = client({ fetch: fetchFn })
      .call('POST /ask', INPUT, { signal: caller.signal })
      .catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 5));
    caller.abort();
    const failure = await pending;

    // Assess
    expect(failure).toBeInstanceOf(AbortedError);
    expect(requestSignal?.aborted).toBe(true);
  });
});

describe('client types', () => {
  it('takes only the route keys and inputs the config describes', () => {
    const api = createGatehouseClient<Config>({ apiUrl: API_URL, fetch: scriptedFetch([]).fetchFn });
    // Type-checked, never run: each line must fail to compile.
    const never = () => {
      // @ts-expect-error not a route of the config
      void api.call('POST /nope', INPUT);
      // @ts-expect-error prompt must be a string
      void api.call('POST /ask', { prompt: 1 });
    };
    expect(typeof never).toBe('function');
  });
});

describe('job routes', () => {
  const JOB_ID = 'a'.repeat(32);
  const view = (status: string, extra: Record<string, unknown> = {}) => ({
    jobId: JOB_ID,
    route: 'POST /ask',
    status,
    submittedAt: '2026-12-07T10:00:00.000Z',
    ...extra,
  });

  it('submits with the Idempotency-Key, follows Location, and resolves with the result', async () => {
    const { fetchFn, calls } = scriptedFetch([
      json(202, { jobId: JOB_ID, status: 'queued' }, { location: `/prod/jobs/${JOB_ID}`, 'retry-after': '1' }),
      json(200, view('succeeded', { result: ANSWER })),
    ]);
    const job = await client({ fetch: fetchFn }).submit('POST /ask', INPUT, { idempotencyKey: 'key-1' });
    const updates: string[] = [];
    const result = await job.result({ onUpdate: (v) => updates.push(v.status) });
    expect(headerOf(calls[0], 'idempotency-key')).toBe('key-1');
    expect(calls[1]?.url).toBe(`http://127.0.0.1:4000/prod/jobs/${JOB_ID}`);
    expect(headerOf(calls[1], 'authorization')).toBe('token-1');
    expect(result).toEqual(ANSWER);
    expect(updates).toEqual(['succeeded']);
  });

  it('throws the failed job’s problem as a ProblemError', async () => {
    const problem = makeProblem('core_timeout', 'The service did not answer in time.', 'req-9');
    const { fetchFn } = scriptedFetch([json(200, view('failed', { problem }))]);
    const error = await client({ fetch: fetchFn })
      .job(JOB_ID)
      .result()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ code: 'core_timeout', status: 504, requestId: 'req-9' });
  });

  it('throws a refused submit as for any call, and a 200 as not a job route', async () => {
    const refused = scriptedFetch([json(422, makeProblem('validation_failed', 'prompt is required', 'req-2'))]);
    await expect(client({ fetch: refused.fetchFn }).submit('POST /ask', INPUT)).rejects.toBeInstanceOf(ProblemError);
    const plain = scriptedFetch([json(200, ANSWER)]);
    await expect(client({ fetch: plain.fetchFn }).submit('POST /ask', INPUT)).rejects.toBeInstanceOf(
      UnexpectedAnswerError,
    );
  });

  it('answers a stranger’s 404 on a job read as a ProblemError', async () => {
    const { fetchFn } = scriptedFetch([json(404, makeProblem('job_not_found', 'No job with this id.', 'req-3'))]);
    await expect(client({ fetch: fetchFn }).job(JOB_ID).status()).rejects.toMatchObject({ code: 'job_not_found' });
  });
});

describe('createJobHandle polling', () => {
  const read = (statuses: Array<[string, number | undefined]>) => {
    let i = 0;
    return async () => {
      const [status, retryAfterSeconds] = statuses[Math.min(i++, statuses.length - 1)] ?? ['queued', undefined];
      return {
        view: {
          jobId: 'j',
          route: 'POST /ask',
          status,
          submittedAt: '',
          ...(status === 'succeeded' ? { result: 42 } : {}),
        },
        retryAfterSeconds,
      } as never;
    };
  };

  it('backs off between reads and never reads sooner than Retry-After', async () => {
    const waits: number[] = [];
    let clock = 0;
    const handle = createJobHandle(
      'j',
      'u',
      read([
        ['queued', 1],
        ['running', 1],
        ['running', 5],
        ['running', undefined],
        ['succeeded', undefined],
      ]),
      () => clock,
      async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    );
    expect(await handle.result()).toBe(42);
    expect(waits).toEqual([1000, 1500, 5000, 3375]);
  });

  it('ends the wait with TimeoutError after maxWaitMs', async () => {
    let clock = 0;
    const handle = createJobHandle(
      'j',
      'u',
      read([['running', 1]]),
      () => clock,
      async (ms) => {
        clock += ms;
      },
    );
    await expect(handle.result({ maxWaitMs: 10_000 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const handle = createJobHandle('j', 'u', read([['running', 1]]));
    const waiting = handle.result({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
  });
});
