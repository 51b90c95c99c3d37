/**
 * The one error a bad environment variable raises at cold start (the edge's, the authorizer's). Its
 * message names the variable and what is wrong with it, because Lambda prints an init failure
 * verbatim in the function's log and that line is all an operator sees.
 */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';

  constructor(
    readonly variable: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${variable} ${problem}`, options);
  }
}
