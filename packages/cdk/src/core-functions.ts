/**
 * The cores the edge invokes, one per name the project's routes use: a function passed in as an
 * `IFunction`, an existing function named by the config's `existing` (name or ARN), or a new one
 * deployed from the core's `code` folder. Either way the edge gets `lambda:InvokeFunction` on
 * exactly each core and its versions and aliases (`<arn>` and `<arn>:*`) — never `*`, never
 * another function.
 */
import path from 'node:path';
import {
  type CorePermission,
  deployedCoreRoleName,
  type ResolvedCore,
  ROLE_NAME_MAX_LENGTH,
} from '@gatehouse/contract';
import { Annotations, Arn, ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { type IPrincipal, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type FunctionProps,
  type IFunction,
  Function as LambdaFunction,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { coreCode } from './core-code';
import { GatehouseConfigError } from './errors';
import { loggingProps } from './function-logging';
import { FunctionRole } from './function-role';

export interface CoreFunction {
  readonly name: string;
  readonly fn: IFunction;
  /** Unqualified ARN the edge invokes and the grant names. */
  readonly functionArn: string;
  /** In the stack's own account (or unknown until deploy): its metrics can be watched from here. */
  readonly sameAccount: boolean;
}

export interface CoreFunctionsOptions {
  readonly cores: readonly ResolvedCore[];
  /** Folder the cores' `code` paths are relative to (the config file's). */
  readonly baseDir: string | undefined;
  readonly given: Readonly<Record<string, IFunction>>;
  /** The edge's deadline for a core; a new core's timeout is capped to it (rounded up to a second). */
  readonly coreDeadlineMs: number;
  /** Core name → its longest job route's timeout: such a core may run that long. */
  readonly jobTimeoutSeconds?: ReadonlyMap<string, number>;
  readonly logRetention: RetentionDays;
  readonly tracing: boolean;
  readonly sourceMaps: boolean;
  readonly acknowledgeCrossAccount: boolean;
  readonly functionProps: Partial<FunctionProps>;
  /** The project's name: with a core's, it names the core's role when developers may assume it. */
  readonly projectName: string;
  /** Who may assume each new core's role to run it locally with its deployed permissions. */
  readonly developerAccess: readonly IPrincipal[];
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function createCoreFunctions(scope: Construct, options: CoreFunctionsOptions): CoreFunction[] {
  const known = new Set(options.cores.map((c) => c.name));
  for (const name of Object.keys(options.given)) {
    if (!known.has(name)) {
      throw new GatehouseConfigError(
        `cores.${name} is not a core the routes use (they use: ${[...known].join(', ') || 'none'})`,
        scope,
      );
    }
  }
  return options.cores.map((core) => {
    const given = options.given[core.name];
    const fn = given ?? (core.existing !== undefined ? importCore(scope, core) : newCore(scope, core, options));
    const sameAccount = checkEnvironment(scope, core.name, fn, options.acknowledgeCrossAccount);
    return { name: core.name, fn, functionArn: fn.functionArn, sameAccount };
  });
}

function importCore(scope: Construct, core: ResolvedCore): IFunction {
  const functionArn = existingCoreArn(scope, core.existing ?? '', `cores.${core.name}.existing`);
  return LambdaFunction.fromFunctionAttributes(scope, `Core-${core.name}`, {
    functionArn,
    sameEnvironment: true,
    skipPermissions: true,
  });
}

function newCore(scope: Construct, core: ResolvedCore, options: CoreFunctionsOptions): IFunction {
  if (options.baseDir === undefined && !path.isAbsolute(core.code)) {
    throw new GatehouseConfigError(
      `cores.${core.name}.code ("${core.code}") is relative, but no configFile was given to resolve it against`,
      scope,
    );
  }
  const codeDir = path.resolve(options.baseDir ?? '/', core.code);
  let code: ReturnType<typeof coreCode>;
  try {
    code = coreCode(core, codeDir, { sourceMaps: options.sourceMaps });
  } catch (error) {
    throw new GatehouseConfigError(`cores.${core.name}: ${(error as Error).message}`, scope, { cause: error });
  }
  const { role, logGroup } = new FunctionRole(scope, `CoreRole-${core.name}`, {
    description: `gatehouse core ${core.name}`,
    retention: options.logRetention,
    tracing: options.tracing,
    ...developerRole(scope, core.name, options),
  });
  grantPermissions(role, core.permissions);
  const nodeRuntime = core.runtime.startsWith('nodejs');
  const fn = bundled(
    scope,
    core.name,
    () =>
      new LambdaFunction(scope, `Core-${core.name}`, {
        description: `gatehouse core "${core.name}": business logic invoked by the edge`,
        runtime: code.runtime,
        architecture: core.architecture === 'x86_64' ? Architecture.X86_64 : Architecture.ARM_64,
        code: code.code,
        handler: code.handler,
        memorySize: core.memoryMb,
        // Nobody waits for the answer past the edge's deadline; the core should not run on long after it.
        timeout: Duration.seconds(
          Math.min(
            core.timeoutSeconds,
            Math.max(Math.ceil(options.coreDeadlineMs / 1000), options.jobTimeoutSeconds?.get(core.name) ?? 0),
          ),
        ),
        role,
        logGroup,
        tracing: options.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
        ...loggingProps('info'),
        ...options.functionProps,
        environment: {
          ...core.environment,
          ...(nodeRuntime && options.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
          ...options.functionProps.environment,
        },
      }),
  );
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: `The project config chose ${core.runtime} for core "${core.name}"; it is the runtime the core is run and tested on locally.`,
  });
  return fn;
}

/**
 * With `developerAccess`, the role gets the name the local stack derives for
 * `credentials: { assumeRole: 'deployed' }` and trusts the given principals besides Lambda.
 */
function developerRole(
  scope: Construct,
  core: string,
  options: CoreFunctionsOptions,
): { roleName?: string; alsoAssumedBy?: readonly IPrincipal[] } {
  if (options.developerAccess.length === 0) return {};
  const roleName = deployedCoreRoleName(options.projectName, core);
  if (roleName.length > ROLE_NAME_MAX_LENGTH) {
    throw new GatehouseConfigError(
      `developerAccess names core "${core}"'s role ${roleName}, longer than IAM's ${ROLE_NAME_MAX_LENGTH} characters: shorten the project or core name`,
      scope,
    );
  }
  return { roleName, alsoAssumedBy: options.developerAccess };
}

/** The config's statements, each wildcard acknowledged to cdk-nag with the reason the config gives. */
function grantPermissions(role: Role, permissions: readonly CorePermission[]): void {
  for (const permission of permissions) {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...permission.actions], resources: [...permission.resources] }),
    );
    if (permission.reason === undefined) continue;
    const wildcards = [
      ...permission.actions.filter((a) => a.includes('*')).map((a) => `Action::${a}`),
      ...permission.resources.filter((r) => r.includes('*')).map((r) => `Resource::${r}`),
    ];
    for (const finding of wildcards) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: permission.reason });
    }
  }
}

/** A core's asset is bundled as its function is made: a failed install names the core. */
function bundled<T>(scope: Construct, name: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    const message = (error as Error).message.replace(
      /^Failed to bundle asset \S+, bundle output is located at \S+: (Error: )?/,
      '',
    );
    throw new GatehouseConfigError(`cores.${name}: ${message}`, scope, { cause: error });
  }
}

/**
 * The stack invokes in its own region; another account needs the core's own resource policy to
 * allow the edge's role, which this stack cannot write — so it is refused unless acknowledged.
 */
function checkEnvironment(scope: Construct, name: string, fn: IFunction, acknowledged: boolean): boolean {
  const stack = Stack.of(scope);
  const { account, region } = fn.env;
  if (!Token.isUnresolved(region) && !Token.isUnresolved(stack.region) && region !== stack.region) {
    throw new GatehouseConfigError(
      `core "${name}" is in ${region} but the stack deploys to ${stack.region}: the edge invokes the core in its ` +
        'own region, so deploy gatehouse to the core’s region',
      scope,
    );
  }
  if (Token.isUnresolved(account) || Token.isUnresolved(stack.account) || account === stack.account) return true;
  if (!acknowledged) {
    throw new GatehouseConfigError(
      `core "${name}" is in account ${account} but the stack deploys to ${stack.account}: the edge's role can call it ` +
        `only if the core's resource policy allows that role, which this stack cannot write. Add that permission in ` +
        `account ${account} (docs/DEPLOY.md, "A core in another account"), then set acknowledgeCrossAccountCores: true`,
      scope,
    );
  }
  Annotations.of(scope).addWarningV2(
    'gatehouse:cross-account-core',
    `core "${name}" is in account ${account}: its own resource policy must allow lambda:InvokeFunction by the edge's ` +
      'role (output EdgeRoleArn), and its errors are not on this stack’s dashboard',
  );
  return false;
}

/** A function name (made an ARN in the stack's account and region) or an unqualified function ARN. */
export function existingCoreArn(scope: Construct, ref: string, key = 'core'): string {
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
      `${key} "${ref}" is neither a Lambda function name nor an ARN (arn:aws:lambda:<region>:<account>:function:<name>)`,
      scope,
    );
  }
  const parts = Arn.split(trimmed, ArnFormat.COLON_RESOURCE_NAME);
  if (parts.service !== 'lambda' || parts.resource !== 'function' || !parts.resourceName) {
    throw new GatehouseConfigError(`${key} "${ref}" is not a Lambda function ARN`, scope);
  }
  if (parts.resourceName.includes(':')) {
    throw new GatehouseConfigError(
      `${key} "${ref}" names a version or alias; give the unqualified function ARN (the edge is allowed to ` +
        'invoke its versions and aliases too)',
      scope,
    );
  }
  return trimmed;
}

/** The edge's only permission on Lambda: each core, its versions and aliases. */
export function invokeStatement(functionArns: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    sid: 'InvokeCoresOnly',
    actions: ['lambda:InvokeFunction'],
    resources: functionArns.flatMap((arn) => [arn, `${arn}:*`]),
  });
}
