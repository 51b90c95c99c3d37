/**
 * The typed client for `POST {apiUrl}/inference`. It takes the ID token per request (so a token
 * Amplify refreshed is used at once), retries a 401 exactly once with a forced refresh, signs the
 * user out when that fails too, and turns every failure into one of the classes in api-errors.
 *
 * Browser APIs it needs (fetch, clock, online state) are injected so it runs under Node in tests.
 */
import { API, isProblem, type Problem } from '@gatehouse/contract';
import type { InferenceAnswer, InferenceRequest } from '@gatehouse/example-figures/schema';
import {
  AbortedError,
  HttpError,
  NetworkError,
  SessionEndedError,
  TimeoutError,
  UnexpectedAnswerError,
} from './api-errors';
import { isInferenceAnswer } from './is-inference-answer';
import { parseServerTiming } from './server-timing';

/** Where the client gets tokens; `amplify-session` implements it with `fetchAuthSession`. */
export interface TokenSource {
  /** The current ID token (JWT), or undefined when nobody is signed in or the refresh failed. */
  idToken(options: { forceRefresh: boolean }): Promise<string | undefined>;
  signOut(): Promise<void>;
}

export interface InferenceClientOptions {
  /** Stage base URL, without a trailing slash or with one. */
  apiUrl: string;
  tokens: TokenSource;
  /** Per attempt. Defaults to the gateway's own integration timeout plus 2 s for the network. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  isOnline?: () => boolean;
  /** The page's origin, named in the CORS message. */
  pageOrigin?: string;
}

export interface InferenceTiming {
  /** From the start of `ask` to the parsed answer, measured where the client runs. */
  totalMs: number;
  /** From the edge's `Server-Timing`, when it sent one the browser may read. */
  edgeMs?: number;
  coreMs?: number;
}

export interface InferenceResult {
  answer: InferenceAnswer;
  requestId: string | undefined;
  timing: InferenceTiming;
}

export interface InferenceClient {
  ask(request: InferenceRequest, signal?: AbortSignal): Promise<InferenceResult>;
}

const PROBE_TIMEOUT_MS = 3_000;

export function createInferenceClient(options: InferenceClientOptions): InferenceClient {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? (() => performance.now());
  const isOnline = options.isOnline ?? (() => globalThis.navigator?.onLine ?? true);
  const timeoutMs = options.timeoutMs ?? API.integrationTimeoutMs + 2_000;
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const url = `${baseUrl}/inference`;

  async function send(token: string, body: string, signal: AbortSignal | undefined): Promise<Received> {
    // An `abort` event never fires for a signal that is already aborted (e.g. during the refresh).
    if (signal?.aborted) throw new AbortedError();
    const attempt = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, timeoutMs);
    const forward = () => attempt.abort();
    signal?.addEventListener('abort', forward, { once: true });
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: attempt.signal,
      });
      // Read the body under the same deadline, so a stalled stream is a timeout too.
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      if (timedOut) throw new TimeoutError(timeoutMs);
      if (signal?.aborted) throw new AbortedError();
      throw await networkError(error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
  }

  async function networkError(cause: unknown): Promise<NetworkError> {
    const error = (kind: NetworkError['kind']) => {
      const failure = new NetworkError(kind, baseUrl, options.pageOrigin);
      failure.cause = cause;
      return failure;
    };
    if (!isOnline()) return error('offline');
    // An opaque no-cors request succeeds whenever the host answers at all: if it does, the real
    // request was refused by CORS, not by the network.
    try {
      await fetchFn(baseUrl, { method: 'GET', mode: 'no-cors', cache: 'no-store', signal: timeoutSignal() });
      return error('cors');
    } catch {
      return error('unreachable');
    }
  }

  async function endSession(reason: SessionEndedError['reason'], requestId?: string): Promise<never> {
    await options.tokens.signOut();
    throw new SessionEndedError(reason, requestId);
  }

  return {
    async ask(request, signal) {
      const started = now();
      const body = JSON.stringify(request);
      const token = await options.tokens.idToken({ forceRefresh: false });
      if (!token) return endSession('no-session');
      if (signal?.aborted) throw new AbortedError();
      let response = await send(token, body, signal);
      // A 401 that names the wrong kind of token is a mismatch between app and API, not an expired
      // session: refreshing or signing out would only repeat it.
      if (response.status === 401 && !isWrongTokenUse(response)) {
        const fresh = await options.tokens.idToken({ forceRefresh: true });
        if (!fresh) return endSession('no-session', requestIdOf(response));
        response = await send(fresh, body, signal);
        if (response.status === 401) return endSession('token-rejected', requestIdOf(response));
      }
      if (response.status < 200 || response.status > 299) throw httpError(response);
      const answer = parseJson(response.text);
      const requestId = requestIdOf(response);
      if (!isInferenceAnswer(answer)) {
        throw new UnexpectedAnswerError('The API answered 200 with a body that is not an answer', requestId);
      }
      const timing = parseServerTiming(response.headers.get('server-timing'));
      return {
        answer,
        requestId,
        timing: { totalMs: now() - started, edgeMs: timing.edge, coreMs: timing.core },
      };
    },
  };
}

/** A response read to the end within the attempt's deadline. */
interface Received {
  status: number;
  headers: Headers;
  text: string;
}

function httpError(response: Received): HttpError {
  const text = response.text;
  const body = parseJson(text);
  const problem: Problem | undefined = isProblem(body) ? body : undefined;
  const bodyMessage =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : text.slice(0, 200) || undefined;
  return new HttpError(
    response.status,
    problem,
    problem ? undefined : bodyMessage,
    retryAfterSeconds(response.headers.get('retry-after')),
    requestIdOf(response),
  );
}

function isWrongTokenUse(response: Received): boolean {
  const body = parseJson(response.text);
  return isProblem(body) && body.code === 'wrong_token_use';
}

function requestIdOf(response: Received): string | undefined {
  return response.headers.get('x-request-id') ?? undefined;
}

/** `Retry-After` is either seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, nowMs = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function timeoutSignal(): AbortSignal {
  return AbortSignal.timeout(PROBE_TIMEOUT_MS);
}
