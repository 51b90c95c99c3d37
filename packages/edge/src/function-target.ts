/**
 * A core function as `CORE_TARGETS` names it, in every form the Invoke API accepts: a name
 * (`gatehouse-core`), a partial ARN (`123456789012:function:gatehouse-core`) or a full ARN, each
 * optionally followed by `:<version or alias>`. The qualifier travels as `?Qualifier=`, the rest as
 * the path's `FunctionName`, exactly as the AWS SDK sends them.
 */
import { EnvironmentError } from '@gatehouse/contract';

export interface FunctionTarget {
  /** Name, partial ARN or ARN, without qualifier. */
  functionName: string;
  qualifier: string | undefined;
}

const NAME = '[A-Za-z0-9_-]{1,64}';
const QUALIFIER = '(\\$LATEST|[A-Za-z0-9_-]{1,128})';
const FORMS = [
  new RegExp(`^(${NAME})(?::${QUALIFIER})?$`),
  new RegExp(`^(\\d{12}:function:${NAME})(?::${QUALIFIER})?$`),
  new RegExp(`^(arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(?:-[a-z]+)+-\\d+:\\d{12}:function:${NAME})(?::${QUALIFIER})?$`),
];

/**
 * @example
 * parseFunctionTarget('arn:aws:lambda:eu-west-1:123456789012:function:core:live')
 * // → { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:core', qualifier: 'live' }
 */
export function parseFunctionTarget(value: string, variable = 'CORE_TARGETS'): FunctionTarget {
  for (const form of FORMS) {
    const match = form.exec(value);
    if (match?.[1]) return { functionName: match[1], qualifier: match[2] };
  }
  throw new EnvironmentError(
    variable,
    `is not a Lambda function name or ARN (got ${JSON.stringify(value)}; expected e.g. "gatehouse-core", ` +
      '"gatehouse-core:live" or "arn:aws:lambda:<region>:<account>:function:gatehouse-core")',
  );
}
