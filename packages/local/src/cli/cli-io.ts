/** The CLI's outside world, passed in so commands can be tested without a terminal. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colour only then). */
  isTTY: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};

/** A mistake on the command line: printed with the usage, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
