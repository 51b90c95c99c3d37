/**
 * The one error a bad environment raises at cold start. Its message names the variable and what is
 * wrong with it, because Lambda prints an init failure verbatim in the function's log and that line
 * is all an operator sees.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}
