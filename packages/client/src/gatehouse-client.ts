/**
 * The browser client for any route of a gatehouse project. Typed by the project config, it builds
 * the path from the route key, takes the ID token per request (so a token Amplify refreshed is used
 * at once), retries a 401 exactly once with a forced refresh, ends the session when that fails too,
 * and turns every failure into one of the classes in client-errors.
 *
 * Browser APIs it needs (fetch, clock, online state) are injected so it runs under Node in tests.
 */
import {
  type AuthMode,
  BODY_METHODS,
  type GatehouseConfig,
  HTTP_API_INTEGRATION_TIMEOUT_MS,
  isProblem,
  type JobAccepted,
  type JobView,
  type LambdaAuthorizerMode,
  parseRouteKey,
  type RouteInput,
  type RouteMethod,
} from '@gatehouse/contract';
import {
  AbortedError,
  HttpError,
  NetworkError,
  ProblemError,
  SessionEndedError,
  TimeoutError,
  UnexpectedAnswerError,
} from './client-errors';
import { createJobHandle, type JobHandle } from './job-handle';
import { retryAfterSeconds } from './retry-after';
import { type QueryValue, routeTarget } from './route-path';
import { parseServerTiming } from './server-timing';

/** How the API admits callers; decides whether a 401 means "the session ended". */
export interface ClientAuth {
  mode: AuthMode;
  /** With `mode: 'lambda'`: an email allow-list reads the Cognito token, an API-key authorizer does not. */
  lambda?: LambdaAuthorizerMode;
}

export interface GatehouseClientOptions {
  /** Stage base URL, with or without a trailing slash. */
  apiUrl: string;
  /**
   * The current ID token (JWT), or undefined when nobody is signed in or the refresh failed. Sent as
   * `Authorization`. `amplifyTokens()` from `@gatehouse/client/amplify` implements it with Amplify.
   */
  getToken?: (options: { forceRefresh: boolean }) => Promise<string | undefined>;
  /** Called before a `SessionEndedError` is thrown, e.g. Amplify's `signOut`. */
  onSessionEnded?: () => Promise<void> | void;
  /** @default { mode: 'cognito' } */
  auth?: ClientAuth;
  /** Sent with every request, e.g. `{ 'x-api-key': … }` for an API-key authorizer. */
  headers?: Readonly<Record<string, string>>;
  /** Per attempt. @default the gateway's integration timeout (30 s) plus 2 s for the network */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  isOnline?: () => boolean;
  /** The page's origin, named in the CORS message. @default location.origin when there is one */
  pageOrigin?: string;
}

export interface CallOptions<T> {
  signal?: AbortSignal;
  /** Values for the route key's `{name}` segments (`{proxy+}` may hold slashes). */
  pathParameters?: Readonly<Record<string, string | number>>;
  query?: Readonly<Record<string, QueryValue>>;
  /** Checks a 2xx body; when it says no, the call fails with `UnexpectedAnswerError`. */
  accept?: (body: unknown) => body is T;
  /** Sent as the body instead of `JSON.stringify(input)` — for consoles that send what was typed. */
  rawBody?: string;
  /** The method an `ANY` route is called with. @default 'POST' */
  method?: Exclude<RouteMethod, 'ANY'>;
}

export interface CallTiming {
  /** From the start of `call` to the read body, measured where the client runs. */
  totalMs: number;
  /** From the edge's `Server-Timing`, when it sent one the browser may read. */
  edgeMs?: number;
  coreMs?: number;
}

export interface CallResult<T> {
  status: number;
  body: T;
  requestId: string | undefined;
  timing: CallTiming;
  headers: Headers;
}

export type RouteKeyOf<Config extends GatehouseConfig> = Extract<keyof Config['routes'], string>;

export interface GatehouseClient<Config extends GatehouseConfig> {
  /**
   * @example
   * const client = createGatehouseClient<typeof config>({ apiUrl, getToken });
   * const { body } = await client.call('POST /notes', { text: 'Remember the milk' });
   */
  call<Key extends RouteKeyOf<Config>, T = unknown>(
    key: Key,
    input: RouteInput<Config, Key>,
    options?: CallOptions<T>,
  ): Promise<CallResult<T>>;
  /**
   * Submits to a job route (`job` in the route's config): resolves once the API has accepted the
   * job (202), with a handle to poll it. Validation and the other refusals throw as for `call`.
   *
   * @example
   * const job = await client.submit('POST /reports', { topic: 'tides' }, { idempotencyKey: crypto.randomUUID() });
   * const report = await job.result({ onUpdate: (view) => show(view.status) });
   */
  submit<Key extends RouteKeyOf<Config>, T = unknown>(
    key: Key,
    input: RouteInput<Config, Key>,
    options?: SubmitOptions,
  ): Promise<JobHandle<T>>;
  /** A handle to a job submitted earlier (its id kept across a page reload). */
  job<T = unknown>(jobId: string): JobHandle<T>;
}

export interface SubmitOptions
  extends Pick<CallOptions<unknown>, 'signal' | 'pathParameters' | 'query' | 'rawBody' | 'method'> {
  /** Sent as `Idempotency-Key`: a repeated submit with the same key returns the same job. */
  idempotencyKey?: string;
}

/** A response read to the end within the attempt's deadline. */
interface Received {
  status: number;
  headers: Headers;
  text: string;
}

const PROBE_TIMEOUT_MS = 3_000;

export function createGatehouseClient<Config extends GatehouseConfig = GatehouseConfig>(
  options: GatehouseClientOptions,
): GatehouseClient<Config> {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? (() => performance.now());
  const isOnline = options.isOnline ?? (() => globalThis.navigator?.onLine ?? true);
  const timeoutMs = options.timeoutMs ?? HTTP_API_INTEGRATION_TIMEOUT_MS + 2_000;
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const pageOrigin = options.pageOrigin ?? globalThis.location?.origin;
  const auth = options.auth ?? { mode: 'cognito' };
  // Only where the token is what admits the caller does a 401 mean the session is over.
  const sessionAdmits = auth.mode === 'cognito' || (auth.mode === 'lambda' && auth.lambda !== 'api-key');
  // IAM reads `Authorization` as a SigV4 signature; a JWT there would only be refused.
  const sendsToken = auth.mode !== 'iam' && options.getToken !== undefined;

  async function send(request: OutgoingRequest, token: string | undefined, signal?: AbortSignal): Promise<Received> {
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
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...request.headers };
    if (token) headers.authorization = token;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetchFn(request.url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
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
    const error = (kind: NetworkError['kind']) => new NetworkError(kind, baseUrl, pageOrigin, { cause });
    if (!isOnline()) return error('offline');
    // An opaque no-cors request succeeds whenever the host answers at all: if it does, the real
    // request was refused by CORS, not by the network.
    try {
      await fetchFn(baseUrl, {
        method: 'GET',
        mode: 'no-cors',
        cache: 'no-store',
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      return error('cors');
    } catch {
      return error('unreachable');
    }
  }

  async function endSession(reason: SessionEndedError['reason'], requestId?: string): Promise<never> {
    await options.onSessionEnded?.();
    throw new SessionEndedError(reason, requestId);
  }

  async function token(forceRefresh: boolean): Promise<string | undefined> {
    return sendsToken ? options.getToken?.({ forceRefresh }) : undefined;
  }

  async function exchange(request: OutgoingRequest, signal: AbortSignal | undefined): Promise<Received> {
    const first = await token(false);
    if (!first && sessionAdmits) return endSession('no-session');
    if (signal?.aborted) throw new AbortedError();
    const response = await send(request, first, signal);
    // A 401 that names the wrong kind of token is a mismatch between app and API, not an expired
    // session: refreshing or signing out would only repeat it.
    if (response.status !== 401 || !sessionAdmits || isWrongTokenUse(response)) return response;
    const fresh = await token(true);
    if (!fresh) return endSession('no-session', requestIdOf(response));
    const retried = await send(request, fresh, signal);
    if (retried.status === 401 && !isWrongTokenUse(retried)) return endSession('token-rejected', requestIdOf(retried));
    return retried;
  }

  function jobHandle<T>(jobId: string, url: string): JobHandle<T> {
    return createJobHandle<T>(jobId, url, async (signal) => {
      const response = await exchange({ method: 'GET', url, body: undefined }, signal);
      if (response.status !== 200) throw httpError(response, parseServerTiming(response.headers.get('server-timing')));
      const view = parseBody(response.text);
      if (!isJobView(view))
        throw new UnexpectedAnswerError('The API answered a job read with something else', requestIdOf(response));
      return { view: view as JobView<T>, retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')) };
    });
  }

  return {
    job: (jobId) => jobHandle(jobId, `${baseUrl}/jobs/${encodeURIComponent(jobId)}`),
    async submit(key, input, submitOptions = {}) {
      const request = outgoing(baseUrl, key, input, submitOptions);
      if (submitOptions.idempotencyKey !== undefined) {
        request.headers = { 'idempotency-key': submitOptions.idempotencyKey };
      }
      const response = await exchange(request, submitOptions.signal);
      if (response.status !== 202) {
        if (response.status >= 200 && response.status < 300) {
          throw new UnexpectedAnswerError(
            `${key} answered ${response.status}: it is not a job route`,
            requestIdOf(response),
          );
        }
        throw httpError(response, parseServerTiming(response.headers.get('server-timing')));
      }
      const accepted = parseBody(response.text) as Partial<JobAccepted> | undefined;
      if (typeof accepted?.jobId !== 'string') {
        throw new UnexpectedAnswerError('The API accepted a job without its id', requestIdOf(response));
      }
      const location = response.headers.get('location');
      const url = location
        ? new URL(location, `${baseUrl}/`).toString()
        : `${baseUrl}/jobs/${encodeURIComponent(accepted.jobId)}`;
      return jobHandle(accepted.jobId, url);
    },
    async call(key, input, callOptions = {}) {
      const started = now();
      const request = outgoing(baseUrl, key, input, callOptions);
      const response = await exchange(request, callOptions.signal);
      const serverTiming = parseServerTiming(response.headers.get('server-timing'));
      if (response.status < 200 || response.status > 299) throw httpError(response, serverTiming);
      const body = parseBody(response.text);
      const requestId = requestIdOf(response);
      if (callOptions.accept && !callOptions.accept(body)) {
        throw new UnexpectedAnswerError(
          `The API answered ${response.status} with a body the caller does not accept`,
          requestId,
        );
      }
      return {
        status: response.status,
        body: body as never,
        requestId,
        headers: response.headers,
        timing: { totalMs: now() - started, edgeMs: serverTiming.edge, coreMs: serverTiming.core },
      };
    },
  };
}

interface OutgoingRequest {
  method: string;
  url: string;
  body: string | undefined;
  headers?: Record<string, string>;
}

/** A body route sends the input as JSON; any other sends an object input as the query string. */
function outgoing(baseUrl: string, key: string, input: unknown, options: CallOptions<unknown>): OutgoingRequest {
  const inputQuery = isRecord(input) ? (input as Record<string, QueryValue>) : {};
  const declared = parseRouteKey(key);
  const method = declared.ok && declared.route.method !== 'ANY' ? declared.route.method : (options.method ?? 'POST');
  const hasBody = BODY_METHODS.includes(method);
  const query = hasBody ? (options.query ?? {}) : { ...inputQuery, ...options.query };
  const target = routeTarget(key, options.pathParameters, query, options.method);
  const body = options.rawBody ?? (hasBody && input !== undefined ? JSON.stringify(input) : undefined);
  return { method: target.method, url: `${baseUrl}${target.path}`, body };
}

function httpError(response: Received, serverTiming: Record<string, number>): HttpError {
  const body = parseBody(response.text);
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
  const requestId = requestIdOf(response);
  if (isProblem(body)) return new ProblemError(body, retryAfter, requestId, serverTiming);
  const bodyMessage = isRecord(body) && typeof body.message === 'string' ? body.message : response.text.slice(0, 200);
  return new HttpError(response.status, body, bodyMessage || undefined, retryAfter, requestId, serverTiming);
}

function isJobView(value: unknown): value is JobView {
  return isRecord(value) && typeof value.jobId === 'string' && typeof value.status === 'string';
}

function isWrongTokenUse(response: Received): boolean {
  const body = parseBody(response.text);
  return isProblem(body) && body.code === 'wrong_token_use';
}

function requestIdOf(response: Received): string | undefined {
  return response.headers.get('x-request-id') ?? undefined;
}

/** JSON when it parses, the text when it does not, undefined when empty. */
function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
