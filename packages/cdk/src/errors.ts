/**
 * The error the construct raises at synth for a bad prop. aws-cdk-lib 2.276 has a
 * `ValidationError(message, scope)`, but it is marked internal (not in the public typings, and its
 * constructor changed between releases), so gatehouse keeps its own: one class an app (or a test)
 * can tell from a bug, and, when it has a scope, the construct path in the message — the same
 * information CDK's own validation errors give.
 */
import type { IConstruct } from 'constructs';

export class GatehouseConfigError extends Error {
  override name = 'GatehouseConfigError';
  /** The construct the bad prop was given to, e.g. `MyStack/Gatehouse`. */
  readonly constructPath: string | undefined;

  constructor(message: string, scope?: IConstruct, options?: ErrorOptions) {
    super(scope ? `${message} (at ${scope.node.path})` : message, options);
    this.constructPath = scope?.node.path;
  }
}
