import { makeProblem, PROBLEMS, type ProblemCode } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  describeApiError,
  fieldErrorText,
  HttpError,
  IdentityUnavailableError,
  NetworkError,
  ProblemError,
  SessionEndedError,
  TimeoutError,
  UnexpectedAnswerError,
} from '../src/index';

function problemError(code: ProblemCode, detail: string, extra: { retryAfter?: number } = {}) {
  const problem = makeProblem(code, detail, `req-${code}`);
  return new ProblemError(problem, extra.retryAfter, `req-${code}`);
}

function gatewayError(status: number, message: string, retryAfter?: number) {
  return new HttpError(status, { message }, message, retryAfter, undefined);
}

describe('describeApiError', () => {
  it('gives every problem code a sentence without the raw code, status or JSON', () => {
    for (const code of Object.keys(PROBLEMS) as ProblemCode[]) {
      // Act
      const description = describeApiError(problemError(code, 'detail text'));

      // Assess
      expect(description.message, code).toMatch(/^[A-Z].*[.!]$/s);
      expect(description.message, code).not.toContain(code);
      expect(description.message, code).not.toMatch(/[{}]/);
      expect(description.requestId, code).toBe(`req-${code}`);
    }
  });

  it("passes the field errors of a 422 through and keeps the core's not-found explanation", () => {
    // Prepare
    const problem = makeProblem('validation_failed', 'The body failed validation', 'req-9', [
      { path: 'year', message: 'year must be 1900 or later' },
    ]);

    // Act
    const invalid = describeApiError(new ProblemError(problem, undefined, 'req-9'));
    const notFound = describeApiError(
      problemError('core_not_found', 'No figures for partner "Hooli". Known partners: Acme Corp, Globex.'),
    );

    // Assess
    expect(invalid.fieldErrors).toEqual([{ path: 'year', message: 'year must be 1900 or later' }]);
    expect(invalid.title).toBe('Check the highlighted fields');
    expect(notFound.message).toContain('No figures for partner "Hooli"');
  });

  it.each([
    [400, 'Bad Request', /refused the request/],
    [401, 'Unauthorized', /sign in again/],
    [403, 'Forbidden', /not allowed/],
    [404, 'Not Found', /misconfigured/],
    [413, 'Request Entity Too Large', /Make it shorter/],
    [500, 'Internal Server Error', /failed to answer/],
    [502, 'Bad Gateway', /failed to answer/],
    [503, 'Service Unavailable', /unavailable/],
    [504, 'Gateway Timeout', /too long/],
  ])('explains a gateway %i in words', (status, message, expected) => {
    expect(describeApiError(gatewayError(status, message)).message).toMatch(expected);
  });

  it("says the core's own reason when it cannot process a request, not that fields were refused", () => {
    // Act
    const described = describeApiError(problemError('core_unprocessable', 'no figures are published for 2031 yet'));

    // Assess
    expect(described.message).toBe('No figures are published for 2031 yet.');
    expect(described.message).not.toContain('could not accept');
  });

  it.each([
    ['api-key', { mode: 'lambda', lambda: 'api-key' }, 401, /API key/],
    ['iam', { mode: 'iam' }, 403, /signed with AWS credentials/],
  ] as const)(
    'in %s mode a refusal says what the API wants, not that the session expired',
    (_n, auth, status, words) => {
      // Act
      const described = describeApiError(gatewayError(status, 'Unauthorized'), { auth });

      // Assess
      expect(described.message).toMatch(words);
      expect(described.message).toContain('signing in again will not help');
      expect(described.title).not.toBe('Signed out');
    },
  );

  it('tells a token-type mismatch apart from an expired session', () => {
    const described = describeApiError(problemError('wrong_token_use', 'expects an access token'));
    expect(described.title).toBe('The app and the API disagree');
    expect(described.message).toMatch(/signing in again will not help/);
  });

  it('says how long to wait when the API sent Retry-After', () => {
    expect(describeApiError(gatewayError(429, 'Too Many Requests', 12)).message).toContain('Wait 12 seconds');
    expect(describeApiError(problemError('core_throttled', 'busy', { retryAfter: 1 })).message).toContain(
      'Wait 1 second and',
    );
    expect(describeApiError(gatewayError(429, 'Too Many Requests')).message).toContain('Wait a moment');
  });

  it('names the page origin and the API in a CORS refusal, and tells it apart from an unreachable API', () => {
    // Act
    const cors = describeApiError(new NetworkError('cors', 'http://127.0.0.1:4000/prod', 'http://127.0.0.1:5999'));
    const unreachable = describeApiError(new NetworkError('unreachable', 'http://127.0.0.1:4000/prod', undefined));
    const offline = describeApiError(new NetworkError('offline', 'http://127.0.0.1:4000/prod', undefined));

    // Assess
    expect(cors.message).toContain('does not accept requests from this site (http://127.0.0.1:5999)');
    expect(cors.message).toContain('CORS');
    expect(unreachable.message).toContain('could not be reached');
    expect(offline.title).toBe('You are offline');
  });

  it('covers the client-side failures', () => {
    expect(describeApiError(new SessionEndedError('token-rejected')).message).toContain('sign in again');
    expect(describeApiError(new TimeoutError(32_000)).message).toContain('within 32 seconds');
    expect(describeApiError(new UnexpectedAnswerError('bad', 'req-x')).requestId).toBe('req-x');
    expect(describeApiError(new AbortedError()).title).toBe('Cancelled');
    expect(describeApiError(new IdentityUnavailableError('network')).message).toContain('still signed in');
    expect(describeApiError(new Error('boom')).message).toContain('boom');
  });
});

describe('fieldErrorText', () => {
  it('names a field once, with its label, whether or not the message starts with it', () => {
    expect(fieldErrorText({ path: 'year', message: 'year must be 1900 or later' }, 'Year')).toBe(
      'Year must be 1900 or later.',
    );
    expect(fieldErrorText({ path: 'year', message: 'year must be 1900 or later' })).toBe('Year must be 1900 or later.');
    expect(fieldErrorText({ path: 'meta.period', message: 'period is required' }, 'Period')).toBe(
      'Period is required.',
    );
    expect(fieldErrorText({ path: 'year', message: 'Expected number' }, 'Year')).toBe('Year: Expected number');
    expect(fieldErrorText({ path: '', message: 'unknown field(s): x' })).toBe('Unknown field(s): x.');
  });
});
