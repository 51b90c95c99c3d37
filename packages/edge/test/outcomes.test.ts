import { CORE_MESSAGE_MAX_LENGTH } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import {
  FunctionConfigurationError,
  FunctionNotFoundError,
  FunctionNotReadyError,
  InvokeAccessError,
  InvokeNetworkError,
  InvokeRequestTooLargeError,
  InvokeResponseTooLargeError,
  InvokeThrottledError,
  InvokeTimeoutError,
  LambdaServiceError,
  UnknownInvokeError,
} from '../src/invoke-errors';
import { answerFor } from '../src/outcomes';

const SECRET = 'arn:aws:lambda:eu-west-1:123456789012:function:core';

describe('answerFor', () => {
  it('passes a successful JSON answer through', () => {
    // Act / Assess
    expect(answerFor({ kind: 'success', value: { answer: 42 } })).toEqual({ kind: 'json', value: { answer: 42 } });
  });

  it('maps a non-JSON answer to 502 core_bad_response', () => {
    // Act / Assess
    expect(answerFor({ kind: 'bad-response', reason: 'x' })).toMatchObject({ code: 'core_bad_response' });
  });

  it.each([
    ['ValidationError', 'core_invalid_input'],
    ['BadRequestError', 'core_invalid_input'],
    ['ForbiddenError', 'core_forbidden'],
    ['NotFoundError', 'core_not_found'],
    ['ConflictError', 'core_conflict'],
    ['UnprocessableError', 'core_unprocessable'],
    ['TooManyRequestsError', 'core_rate_limited'],
  ])("maps the core's %s to %s with the core's message", (errorType, code) => {
    // Act
    const answer = answerFor({
      kind: 'function-error',
      errorType,
      errorMessage: ' No partner "Zed". ',
      handled: false,
    });

    // Assess
    expect(answer).toEqual({ kind: 'problem', code, detail: 'No partner "Zed".' });
  });

  it("cuts the core's message to the contract's maximum", () => {
    // Act
    const answer = answerFor({
      kind: 'function-error',
      errorType: 'NotFoundError',
      errorMessage: 'x'.repeat(5000),
      handled: false,
    });

    // Assess
    expect(answer.kind === 'problem' && answer.detail.length).toBe(CORE_MESSAGE_MAX_LENGTH);
  });

  it.each(['Error', 'TypeError', 'Runtime.ExitError', 'Sandbox.Timedout', 'toString', '__proto__'])(
    'maps any other function error (%s) to 502 core_failed without its message',
    (errorType) => {
      // Act
      const answer = answerFor({
        kind: 'function-error',
        errorType,
        errorMessage: `boom at ${SECRET}`,
        handled: false,
      });

      // Assess
      expect(answer).toMatchObject({ kind: 'problem', code: 'core_failed' });
      expect(JSON.stringify(answer)).not.toContain(SECRET);
    },
  );

  it('maps a function answer too large for Lambda to 502 core_response_too_large', () => {
    // Act / Assess
    expect(
      answerFor({
        kind: 'function-error',
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: '',
        handled: false,
      }),
    ).toMatchObject({ code: 'core_response_too_large' });
  });

  it.each([
    [new FunctionNotFoundError(SECRET, 'ResourceNotFoundException', 404), 'misconfigured'],
    [new InvokeAccessError(SECRET, 'AccessDeniedException', 403), 'misconfigured'],
    [new FunctionConfigurationError(SECRET, 'KMSDisabledException', 502), 'misconfigured'],
    [new InvokeTimeoutError(SECRET, 'Timeout', undefined), 'core_timeout'],
    [new InvokeRequestTooLargeError(SECRET, 'RequestTooLargeException', 413), 'payload_too_large'],
    [new InvokeResponseTooLargeError(SECRET, 'ResponseTooLarge', 200), 'core_response_too_large'],
    [new LambdaServiceError(SECRET, 'ServiceException', 500), 'core_failed'],
    [new InvokeNetworkError(SECRET, 'ECONNREFUSED', undefined), 'core_failed'],
    [new UnknownInvokeError(SECRET, 'Whatever', 400), 'core_failed'],
  ])('maps %s to %s without the SDK message', (error, code) => {
    // Act
    const answer = answerFor({ kind: 'invoke-error', error });

    // Assess
    expect(answer).toMatchObject({ kind: 'problem', code });
    expect(JSON.stringify(answer)).not.toContain(SECRET);
  });

  it('maps throttling to 503 with Retry-After, rounding up and defaulting to 1 s', () => {
    // Act
    const given = answerFor({
      kind: 'invoke-error',
      error: new InvokeThrottledError('m', 'TooManyRequestsException', 429, 2.2),
    });
    const none = answerFor({
      kind: 'invoke-error',
      error: new InvokeThrottledError('m', 'TooManyRequestsException', 429, undefined),
    });
    const notReady = answerFor({
      kind: 'invoke-error',
      error: new FunctionNotReadyError('m', 'ResourceConflictException', 409),
    });

    // Assess
    expect(given).toMatchObject({ code: 'core_throttled', headers: { 'retry-after': '3' } });
    expect(none).toMatchObject({ code: 'core_throttled', headers: { 'retry-after': '1' } });
    expect(notReady).toMatchObject({ code: 'core_throttled', headers: { 'retry-after': '1' } });
  });

  it('caps a Retry-After it is given at two minutes before it reaches the client', () => {
    // Act
    const huge = answerFor({
      kind: 'invoke-error',
      error: new InvokeThrottledError('m', 'TooManyRequestsException', 429, 999_999),
    });

    // Assess
    expect(huge).toMatchObject({ code: 'core_throttled', headers: { 'retry-after': '120' } });
    expect(huge.kind === 'problem' && huge.detail).toBe('The service is busy. Retry after 120 seconds.');
  });
});
