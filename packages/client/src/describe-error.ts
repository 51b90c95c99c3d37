/**
 * Turns any failure of a call into words a user can act on: what happened, what to do next, and
 * the request id to quote when it is the service's fault. The raw status, code and body never reach
 * the screen on their own. Knowing how the API admits callers, it never calls a refusal an expired
 * session when signing in again would not help.
 */
import type { FieldError } from '@gatehouse/contract';
import {
  AbortedError,
  HttpError,
  IdentityUnavailableError,
  NetworkError,
  ProblemError,
  SessionEndedError,
  TimeoutError,
  UnexpectedAnswerError,
} from './client-errors';
import type { ClientAuth } from './gatehouse-client';

export interface ErrorDescription {
  title: string;
  message: string;
  requestId: string | undefined;
  /** Per-field messages from a 422, shown beside the fields. */
  fieldErrors: FieldError[];
}

/** Shown when the session could not be renewed and the user was signed out (also on the sign-in page). */
export const SESSION_ENDED_MESSAGE = 'Your session has expired and could not be renewed. Please sign in again.';

const QUOTE_ID = 'If it keeps happening, tell your administrator the request id below.';

export function describeApiError(error: unknown, context: { auth?: ClientAuth } = {}): ErrorDescription {
  if (error instanceof ProblemError) return describeProblem(error, context.auth);
  if (error instanceof HttpError) return describeByStatus(error, context.auth);
  if (error instanceof SessionEndedError) return plain('Signed out', SESSION_ENDED_MESSAGE, error);
  if (error instanceof NetworkError) return describeNetworkError(error);
  if (error instanceof IdentityUnavailableError) {
    return plain(
      'Cannot renew your sign-in',
      'The sign-in service could not be reached to renew your session. You are still signed in; try again in a moment.',
    );
  }
  if (error instanceof TimeoutError) {
    return plain(
      'No answer in time',
      `The API did not answer within ${Math.round(error.timeoutMs / 1000)} seconds. Try again in a moment.`,
    );
  }
  if (error instanceof UnexpectedAnswerError) {
    return plain(
      'Unexpected answer',
      `The service answered in a form this app does not understand. ${QUOTE_ID}`,
      error,
    );
  }
  if (error instanceof AbortedError) return plain('Cancelled', 'The request was cancelled.');
  return plain('Something went wrong', `The request failed unexpectedly (${String(error)}). Try again.`);
}

/**
 * One field error as a line: `year must be 1900 or later` reads "Year must be 1900 or later", not
 * "year: year must be …"; a message that does not name its field keeps the path in front.
 */
export function fieldErrorText({ path, message }: FieldError, label = path): string {
  if (!path) return sentence(message);
  const leaf = path.split('.').pop() ?? path;
  if (message.toLowerCase().startsWith(`${path.toLowerCase()} `)) return sentence(message);
  if (message.toLowerCase().startsWith(`${leaf.toLowerCase()} `))
    return sentence(`${label}${message.slice(leaf.length)}`);
  return `${label}: ${message}`;
}

function describeProblem(error: ProblemError, auth: ClientAuth | undefined): ErrorDescription {
  const detail = error.detail ? ` ${sentence(error.detail)}` : '';
  switch (error.code) {
    case 'validation_failed':
      return {
        ...plain('Check the highlighted fields', `The service could not accept some of the fields.${detail}`, error),
        fieldErrors: [...error.errors],
      };
    case 'core_unprocessable':
      // The core's own explanation is the message: it knows why it cannot do this, the app does not.
      return {
        ...plain(
          'The service cannot do that',
          error.detail ? sentence(error.detail) : 'The service cannot process this request.',
          error,
        ),
        fieldErrors: [...error.errors],
      };
    case 'core_invalid_input':
      return plain('Check your request', `The service rejected the request.${detail}`, error);
    case 'core_not_found':
      return plain('Nothing found', `The service has no data for that request.${detail}`, error);
    case 'core_conflict':
      return plain('Conflict', `The request conflicts with the current state.${detail}`, error);
    case 'payload_too_large':
      return plain('Request too large', 'The request is larger than the API accepts. Make it shorter.', error);
    case 'forbidden':
    case 'core_forbidden':
      return plain(
        'Not allowed',
        `Your account is not allowed to do this. Ask an administrator for access if you need it.${detail}`,
        error,
      );
    case 'wrong_token_use':
      return plain(
        'The app and the API disagree',
        `The API expects a different kind of sign-in token than this app sends; signing in again will not help. Tell whoever runs the app. ${QUOTE_ID}`,
        error,
      );
    case 'origin_not_allowed':
      return plain('This site is not allowed', `The API does not accept requests from this site.${detail}`, error);
    case 'core_timeout':
      return plain(
        'No answer in time',
        `The service took too long to answer. Try again in a moment. ${QUOTE_ID}`,
        error,
      );
    case 'job_not_found':
      return plain('Job not found', 'This job does not exist or has expired. Submit it again.', error);
    case 'result_too_large':
      return plain('Result too large', `The job finished, but its result is too large to return. ${QUOTE_ID}`, error);
    case 'interrupted':
      return plain(
        'Job interrupted',
        'The job stopped before it finished (the service restarted). Submit it again.',
        error,
      );
    case 'idempotency_key_reused':
    case 'invalid_idempotency_key':
      return plain(
        'The app sent a bad request',
        `The app reused a request key for a different request. ${QUOTE_ID}`,
        error,
      );
    case 'core_throttled':
    case 'core_rate_limited':
      return plain('Busy', `The service is busy. ${waitHint(error)}`, error);
    case 'body_missing':
    case 'invalid_json':
    case 'invalid_body_encoding':
    case 'unsupported_media_type':
      return plain('The app sent a bad request', `The API could not read the request the app sent. ${QUOTE_ID}`, error);
    default:
      return describeByStatus(error, auth);
  }
}

function describeByStatus(error: HttpError, auth: ClientAuth | undefined): ErrorDescription {
  const { status } = error;
  if (status === 401 || status === 403) {
    const refusal = describeRefusal(error, auth);
    if (refusal) return refusal;
  }
  if (status === 400) return plain('Bad request', `The API refused the request. ${QUOTE_ID}`, error);
  if (status === 401) return plain('Signed out', 'The API did not accept your sign-in. Please sign in again.', error);
  if (status === 403) return plain('Not allowed', 'Your account is not allowed to do this.', error);
  if (status === 404)
    return plain('Not found', `The API route was not found; the app may be misconfigured. ${QUOTE_ID}`, error);
  if (status === 413)
    return plain('Request too large', 'The request is larger than the API accepts. Make it shorter.', error);
  if (status === 429)
    return plain('Too many requests', `You are sending requests too quickly. ${waitHint(error)}`, error);
  if (status === 503)
    return plain('Service unavailable', `The service is unavailable right now. ${waitHint(error)}`, error);
  if (status === 504)
    return plain('No answer in time', `The service took too long to answer. Try again in a moment. ${QUOTE_ID}`, error);
  if (status >= 500)
    return plain('The service failed', `The service failed to answer. Try again in a moment. ${QUOTE_ID}`, error);
  return plain('Request failed', `The API answered with status ${status}. ${QUOTE_ID}`, error);
}

/** A gateway refusal where the sign-in is not what admits the caller: say what the API wants instead. */
function describeRefusal(error: HttpError, auth: ClientAuth | undefined): ErrorDescription | undefined {
  if (auth?.mode === 'lambda' && auth.lambda === 'api-key') {
    return plain(
      'This API wants an API key',
      'The API admits callers by API key (the x-api-key header), and this app sends your sign-in instead, so signing in again will not help. Call the API with a key, or run it with Cognito sign-in.',
      error,
    );
  }
  if (auth?.mode === 'iam') {
    return plain(
      'This API wants signed requests',
      'The API admits only requests signed with AWS credentials (IAM, SigV4), and this app sends your sign-in instead, so signing in again will not help. Call the API with signed requests, or run it with Cognito sign-in.',
      error,
    );
  }
  if (auth?.mode === 'lambda' && error.status === 403) {
    return plain(
      'Not on the allow-list',
      'The API admits only the email addresses on its allow-list, and yours is not one of them. Ask an administrator to add it.',
      error,
    );
  }
  return undefined;
}

function describeNetworkError(error: NetworkError): ErrorDescription {
  if (error.kind === 'offline') {
    return plain('You are offline', 'Your device has no network connection. Reconnect and try again.');
  }
  if (error.kind === 'cors') {
    const site = error.pageOrigin ? `this site (${error.pageOrigin})` : 'this site';
    return plain(
      'This site is not allowed to call the API',
      `The API at ${error.apiUrl} does not accept requests from ${site} (a CORS refusal). Open the app from its usual address, or ask an administrator to add this origin to the API's allowed origins.`,
    );
  }
  return plain(
    'Cannot reach the API',
    `The API at ${error.apiUrl} could not be reached. Check your connection, or try again in a moment.`,
  );
}

function waitHint(error: HttpError): string {
  const seconds = error.retryAfterSeconds;
  if (seconds === undefined) return 'Wait a moment and try again.';
  return `Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
}

function plain(title: string, message: string, source?: { requestId?: string }): ErrorDescription {
  return { title, message, requestId: source?.requestId, fieldErrors: [] };
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
