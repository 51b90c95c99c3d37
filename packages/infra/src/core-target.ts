/**
 * The core Lambda the edge invokes: the sample from packages/core, or a function that already runs,
 * named by ARN or by name. Either way the edge gets `lambda:InvokeFunction` on exactly that function
 * and its versions and aliases (`<arn>` and `<arn>:*`) — never `*`, never another function.
 */
import { Arn, ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, type IFunction, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { GatehouseConfigError } from './errors';
import { FunctionRole } from './function-role';
import { acknowledgeRuntime, BUNDLE_HANDLER, bundledCode } from './lambda-code';

export type CoreSource =
  | { kind: 'sample'; memorySize?: number }
  /** `function` is a function name (same account and region as the stack) or an unqualified ARN. */
  | { kind: 'existing'; function: string };

export interface CoreTarget {
  fn: IFunction;
  /** Unqualified ARN the edge invokes and the grant names. */
  functionArn: string;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function existingCoreArn(scope: Construct, ref: string): string {
  const trimmed = ref.trim();
  if (FUNCTION_NAME.test(trimmed)) {
    return Stack.of(scope).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: trimmed,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
  if (!trimmed.startsWith('arn:')) {
    throw new GatehouseConfigError(
      `core.function "${ref}" is neither a Lambda function name nor an ARN (arn:aws:lambda:<region>:<account>:function:<name>)`,
    );
  }
  const parts = Arn.split(trimmed, ArnFormat.COLON_RESOURCE_NAME);
  if (parts.service !== 'lambda' || parts.resource !== 'function' || !parts.resourceName) {
    throw new GatehouseConfigError(`core.function "${ref}" is not a Lambda function ARN`);
  }
  if (parts.resourceName.includes(':')) {
    throw new GatehouseConfigError(
      `core.function "${ref}" names a version or alias; give the unqualified function ARN (the edge is allowed to ` +
        'invoke its versions and aliases too)',
    );
  }
  const stackRegion = Stack.of(scope).region;
  if (!Token.isUnresolved(stackRegion) && parts.region !== stackRegion) {
    throw new GatehouseConfigError(
      `core.function is in ${parts.region} but the stack deploys to ${stackRegion}: the edge invokes the core in its ` +
        'own region, so deploy gatehouse to the core’s region',
    );
  }
  return trimmed;
}

export function createCoreTarget(
  scope: Construct,
  source: CoreSource,
  opts: { timeout: Duration; logRetention: RetentionDays; tracing: boolean },
): CoreTarget {
  if (source.kind === 'existing') {
    const functionArn = existingCoreArn(scope, source.function);
    const fn = LambdaFunction.fromFunctionAttributes(scope, 'Core', {
      functionArn,
      sameEnvironment: true,
      skipPermissions: true,
    });
    return { fn, functionArn };
  }
  const { role, logGroup } = new FunctionRole(scope, 'CoreRole', {
    description: 'gatehouse sample core',
    retention: opts.logRetention,
    tracing: opts.tracing,
  });
  const fn = new LambdaFunction(scope, 'Core', {
    description: 'gatehouse sample core: business logic invoked by the edge',
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    code: bundledCode('core'),
    handler: BUNDLE_HANDLER,
    memorySize: source.memorySize ?? 256,
    // The edge stops waiting at its deadline; the core should not run on long after it.
    timeout: Duration.seconds(Math.ceil(opts.timeout.toMilliseconds() / 1000)),
    role,
    logGroup,
    tracing: opts.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
  });
  acknowledgeRuntime(fn);
  return { fn, functionArn: fn.functionArn };
}

/** The edge's only permission on Lambda. */
export function invokeStatement(functionArn: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'InvokeCoreOnly',
    actions: ['lambda:InvokeFunction'],
    resources: [functionArn, `${functionArn}:*`],
  });
}
