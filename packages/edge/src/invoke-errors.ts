/**
 * Every way a call to the Lambda Invoke API can fail, as classes the edge branches on with
 * `instanceof`. The grouping follows what the caller should be told, not the AWS type names: the
 * Invoke API's documented error types fall into these families, and an unknown type is kept,
 * never guessed into one. Messages here are for the log only; they may hold ARNs and account ids.
 */

export abstract class InvokeError extends Error {
  constructor(
    message: string,
    /** The AWS error type (`ResourceNotFoundException`), or a local label for failures AWS never named. */
    readonly errorType: string,
    readonly statusCode: number | undefined,
  ) {
    super(message);
  }
}

/** ResourceNotFoundException: the function or its qualifier does not exist. */
export class FunctionNotFoundError extends InvokeError {
  override name = 'FunctionNotFoundError';
}

/** The edge may not call the core: AccessDenied, bad or expired credentials, a bad signature. */
export class InvokeAccessError extends InvokeError {
  override name = 'InvokeAccessError';
}

/** TooManyRequestsException: concurrency or rate limit reached; the core did not run. */
export class InvokeThrottledError extends InvokeError {
  override name = 'InvokeThrottledError';

  constructor(
    message: string,
    errorType: string,
    statusCode: number | undefined,
    /** From the `Retry-After` header or the body's `retryAfterSeconds`, when Lambda gave one. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message, errorType, statusCode);
  }
}

/** ResourceConflictException, ResourceNotReadyException: the function is being created or updated. */
export class FunctionNotReadyError extends InvokeError {
  override name = 'FunctionNotReadyError';
}

/**
 * The function's own setup is broken (EC2*, ENI*, Subnet*, SecurityGroup*, KMS*, EFS*, SnapStart*,
 * Invalid*, CodeStorage*, Recursive*), or Lambda refused the request as malformed.
 */
export class FunctionConfigurationError extends InvokeError {
  override name = 'FunctionConfigurationError';
}

/** RequestTooLargeException: the enriched payload exceeds the synchronous limit (6 MB). */
export class InvokeRequestTooLargeError extends InvokeError {
  override name = 'InvokeRequestTooLargeError';
}

/** The core's answer is larger than a synchronous invoke may carry; the edge stopped reading it. */
export class InvokeResponseTooLargeError extends InvokeError {
  override name = 'InvokeResponseTooLargeError';
}

/** ServiceException and other 5xx answers of the Lambda service itself. */
export class LambdaServiceError extends InvokeError {
  override name = 'LambdaServiceError';
}

/** The edge's deadline passed before the core answered; the request was destroyed. */
export class InvokeTimeoutError extends InvokeError {
  override name = 'InvokeTimeoutError';
}

/** The connection failed (refused, reset, DNS): the core may or may not have run. */
export class InvokeNetworkError extends InvokeError {
  override name = 'InvokeNetworkError';
}

/** An error type the edge does not know. */
export class UnknownInvokeError extends InvokeError {
  override name = 'UnknownInvokeError';
}

const ACCESS_TYPES = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);
const NOT_READY_TYPES = new Set(['ResourceConflictException', 'ResourceNotReadyException']);
const CONFIGURATION_PREFIXES = [
  'EC2',
  'ENI',
  'Subnet',
  'SecurityGroup',
  'KMS',
  'EFS',
  'SnapStart',
  'Invalid',
  'CodeStorage',
  'Recursive',
  'Validation',
  'UnsupportedMediaType',
];

export interface AwsErrorDetails {
  errorType: string;
  message: string;
  statusCode: number;
  retryAfterSeconds: number | undefined;
}

/** Turns an Invoke API error answer into the matching class. */
export function invokeErrorFor(details: AwsErrorDetails): InvokeError {
  const { errorType, statusCode } = details;
  const message = `${errorType}: ${details.message}`;
  if (errorType === 'ResourceNotFoundException') return new FunctionNotFoundError(message, errorType, statusCode);
  if (ACCESS_TYPES.has(errorType)) return new InvokeAccessError(message, errorType, statusCode);
  if (errorType === 'TooManyRequestsException') {
    return new InvokeThrottledError(message, errorType, statusCode, details.retryAfterSeconds);
  }
  if (NOT_READY_TYPES.has(errorType)) return new FunctionNotReadyError(message, errorType, statusCode);
  if (errorType === 'RequestTooLargeException') return new InvokeRequestTooLargeError(message, errorType, statusCode);
  if (CONFIGURATION_PREFIXES.some((prefix) => errorType.startsWith(prefix))) {
    return new FunctionConfigurationError(message, errorType, statusCode);
  }
  if (errorType === 'ServiceException') return new LambdaServiceError(message, errorType, statusCode);
  return new UnknownInvokeError(message, errorType, statusCode);
}
