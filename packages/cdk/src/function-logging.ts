/**
 * How every function gatehouse creates logs: Lambda's JSON log format, so each line is one
 * queryable object with its level, and Lambda's own START/END/REPORT lines are JSON too.
 *
 * The application level stays at INFO (DEBUG when the edge logs at debug): the edge filters its own
 * lines by `LOG_LEVEL`, and its metrics-only EMF lines carry no `level`, which Lambda reads as
 * INFO — a WARN filter here would silently drop the metrics the alarms watch.
 */
import { ApplicationLogLevel, type FunctionProps, LoggingFormat, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';

export type GatehouseLogLevel = 'debug' | 'info' | 'warn' | 'error';

export function loggingProps(
  level: GatehouseLogLevel,
): Pick<FunctionProps, 'loggingFormat' | 'applicationLogLevelV2' | 'systemLogLevelV2'> {
  return {
    loggingFormat: LoggingFormat.JSON,
    applicationLogLevelV2: level === 'debug' ? ApplicationLogLevel.DEBUG : ApplicationLogLevel.INFO,
    systemLogLevelV2: SystemLogLevel.INFO,
  };
}
