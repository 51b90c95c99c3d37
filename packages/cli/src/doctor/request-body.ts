/**
 * The JSON body the doctor's calls carry: `--body` (JSON, or `@file`), else the example the route's
 * project config gives, else the sample route's own example. It is checked to be JSON before
 * anything is sent, so a refusal by the route's schema is about the content, never the syntax.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../cli/cli-io';

/** The sample route's example, used when nothing better is known. */
export const SAMPLE_BODY = { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' };

export interface RequestBody {
  /** Exactly what is sent. */
  text: string;
  /** Where it came from, for the report. */
  source: 'your --body' | 'the route’s example' | 'the sample route’s example';
}

/** `--body '{"a":1}'` or `--body @request.json`. */
export function bodyFromArgument(value: string): RequestBody {
  const file = value.startsWith('@') ? value.slice(1) : undefined;
  let text = value;
  if (file !== undefined) {
    if (file === '') throw new UsageError('--body @ needs a file name, e.g. --body @request.json');
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === 'ENOENT'
          ? `--body: no file ${file}`
          : `--body: cannot read ${file} (${code ?? (error as Error).message})`,
        { cause: error },
      );
    }
  }
  try {
    JSON.parse(text);
  } catch (error) {
    const where = file === undefined ? 'the --body value' : `--body ${value}`;
    throw new UsageError(
      `${where} is not JSON (${(error as Error).message}); write it as JSON, e.g. --body '{"question":"…"}', or --body @file.json`,
      { cause: error },
    );
  }
  return { text, source: 'your --body' };
}

export function chooseBody(given: RequestBody | undefined, exampleBody: unknown): RequestBody {
  if (given) return given;
  if (exampleBody !== undefined) return { text: JSON.stringify(exampleBody), source: 'the route’s example' };
  return { text: JSON.stringify(SAMPLE_BODY), source: 'the sample route’s example' };
}
