/**
 * A structured JSON logger small enough for the edge's cold-start budget (Powertools Logger alone
 * would exceed it). One JSON object per line: `level`, `timestamp`, `service`, `requestId`,
 * `message`, then fields. It never prints tokens or bodies: callers pass only the fields they mean
 * to, and an `authorization` field is redacted wherever it appears.
 */

import type { EdgeLogLevel } from '@gatehouse/contract';

export type LogLevel = EdgeLogLevel;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const REDACTED = /^(authorization|cookie|x-api-key|x-amz-security-token)$/i;
/**
 * Any of those names as a key in a serialised line. A line without one is written as serialised;
 * only one with one is serialised again through `redact`, so the line every request writes costs
 * one plain `JSON.stringify` rather than a replacer call for each of its keys.
 */
const MAY_HOLD_SECRET = /"(authorization|cookie|x-api-key|x-amz-security-token)":/i;

export type LogFields = Record<string, unknown>;
export type LogSink = (line: string) => void;

export class Logger {
  constructor(
    private readonly level: LogLevel,
    private readonly service: string,
    private readonly sink: LogSink = (line) => process.stdout.write(`${line}\n`),
  ) {}

  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return RANK[level] >= RANK[this.level];
  }

  debug(requestId: string | undefined, message: string, fields?: LogFields): void {
    this.write('debug', requestId, message, fields);
  }

  info(requestId: string | undefined, message: string, fields?: LogFields): void {
    this.write('info', requestId, message, fields);
  }

  warn(requestId: string | undefined, message: string, fields?: LogFields): void {
    this.write('warn', requestId, message, fields);
  }

  error(requestId: string | undefined, message: string, fields?: LogFields): void {
    this.write('error', requestId, message, fields);
  }

  /** Writes a metrics-only line (EMF) when the level keeps the request line quiet. */
  metrics(fields: LogFields): void {
    this.sink(JSON.stringify(fields));
  }

  private write(
    level: Exclude<LogLevel, 'silent'>,
    requestId: string | undefined,
    message: string,
    fields?: LogFields,
  ) {
    if (!this.enabled(level)) return;
    const entry = { level, timestamp: new Date().toISOString(), service: this.service, requestId, message, ...fields };
    const line = JSON.stringify(entry);
    this.sink(MAY_HOLD_SECRET.test(line) ? JSON.stringify(entry, redact) : line);
  }
}

/** Errors as plain fields (name, message, stack), for the log only. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: { message: String(error) } };
  const extra = error as unknown as Record<string, unknown>;
  return {
    error: {
      name: error.name,
      message: error.message,
      ...(typeof extra.errorType === 'string' ? { errorType: extra.errorType } : {}),
      ...(typeof extra.statusCode === 'number' ? { statusCode: extra.statusCode } : {}),
      stack: error.stack,
    },
  };
}

function redact(key: string, value: unknown): unknown {
  return REDACTED.test(key) ? '[redacted]' : value;
}
