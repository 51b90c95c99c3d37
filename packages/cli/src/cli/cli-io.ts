/**
 * The CLI's outside world and its one usage-error type, shared by every command so each reads the
 * environment, prints and fails the same way — and can be tested without a terminal.
 */

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colour only then); absent means it is not. */
  isTTY?: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};

/**
 * A mistake on the command line. `gatehouse` prints it with the command's usage and exits 2, so a
 * script can tell "you called it wrong" from "the check failed" (1).
 */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** `parseArgs`'s own errors (unknown option, missing value) are usage errors too. */
export function asUsageError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return new UsageError((error as Error).message, { cause: error });
  }
  return error;
}
