import { describe, expect, it } from 'vitest';
import {
  FunctionConfigurationError,
  FunctionNotFoundError,
  FunctionNotReadyError,
  InvokeAccessError,
  InvokeRequestTooLargeError,
  InvokeThrottledError,
  invokeErrorFor,
  LambdaServiceError,
  UnknownInvokeError,
} from '../src/invoke-errors';

describe('invokeErrorFor', () => {
  it.each([
    ['ResourceNotFoundException', 404, FunctionNotFoundError],
    ['AccessDeniedException', 403, InvokeAccessError],
    ['UnrecognizedClientException', 403, InvokeAccessError],
    ['InvalidSignatureException', 403, InvokeAccessError],
    ['ExpiredTokenException', 403, InvokeAccessError],
    ['TooManyRequestsException', 429, InvokeThrottledError],
    ['RequestTooLargeException', 413, InvokeRequestTooLargeError],
    ['ResourceConflictException', 409, FunctionNotReadyError],
    ['ResourceNotReadyException', 502, FunctionNotReadyError],
    ['EC2ThrottledException', 502, FunctionConfigurationError],
    ['EC2AccessDeniedException', 502, FunctionConfigurationError],
    ['ENILimitReachedException', 502, FunctionConfigurationError],
    ['SubnetIPAddressLimitReachedException', 502, FunctionConfigurationError],
    ['KMSDisabledException', 502, FunctionConfigurationError],
    ['KMSAccessDeniedException', 502, FunctionConfigurationError],
    ['EFSMountTimeoutException', 410, FunctionConfigurationError],
    ['SnapStartNotReadyException', 409, FunctionConfigurationError],
    ['InvalidZipFileException', 502, FunctionConfigurationError],
    ['InvalidRuntimeException', 502, FunctionConfigurationError],
    ['InvalidRequestContentException', 400, FunctionConfigurationError],
    ['InvalidParameterValueException', 400, FunctionConfigurationError],
    ['RecursiveInvocationException', 400, FunctionConfigurationError],
    ['ServiceException', 500, LambdaServiceError],
    ['SomethingNewException', 400, UnknownInvokeError],
  ])('%s → %s', (errorType, statusCode, expected) => {
    // Act
    const error = invokeErrorFor({ errorType, statusCode, message: 'm', retryAfterSeconds: undefined });

    // Assess
    expect(error).toBeInstanceOf(expected);
    expect(error.errorType).toBe(errorType);
    expect(error.statusCode).toBe(statusCode);
  });

  it('keeps the retry-after of a throttled call', () => {
    // Act
    const error = invokeErrorFor({
      errorType: 'TooManyRequestsException',
      statusCode: 429,
      message: 'Rate Exceeded.',
      retryAfterSeconds: 3,
    });

    // Assess
    expect((error as InvokeThrottledError).retryAfterSeconds).toBe(3);
  });
});
