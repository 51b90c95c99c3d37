/**
 * Reads the `{FunctionName}` of an Invoke request the ways Lambda accepts it — a name
 * (`my-function`), a name with a qualifier (`my-function:v1`), a partial ARN
 * (`123456789012:function:my-function`) or a full ARN — plus the `Qualifier` query parameter.
 */
import { functionArn, LOCAL_ACCOUNT_ID } from './function-definition';

export interface FunctionReference {
  name: string;
  qualifier: string | undefined;
  /** Whether the ARN's region and account (when given) are this service's. */
  local: boolean;
}

const FULL_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const NAME = /^([^:]+)(?::([^:]+))?$/;

export function parseFunctionReference(
  raw: string,
  queryQualifier: string | null,
  region: string,
): FunctionReference | undefined {
  const full = FULL_ARN.exec(raw);
  if (full) {
    const [, arnRegion, account, name, qualifier] = full;
    return {
      name: name as string,
      qualifier: qualifier ?? queryQualifier ?? undefined,
      local: arnRegion === region && account === LOCAL_ACCOUNT_ID,
    };
  }
  const partial = PARTIAL_ARN.exec(raw);
  if (partial) {
    const [, account, name, qualifier] = partial;
    return {
      name: name as string,
      qualifier: qualifier ?? queryQualifier ?? undefined,
      local: account === LOCAL_ACCOUNT_ID,
    };
  }
  const plain = NAME.exec(raw);
  if (plain) {
    const [, name, qualifier] = plain;
    return { name: name as string, qualifier: qualifier ?? queryQualifier ?? undefined, local: true };
  }
  return undefined;
}

/** The ARN AWS names in its "Function not found" message: the one asked for, qualifier included. */
export function referencedArn(reference: FunctionReference, region: string): string {
  const arn = functionArn(region, reference.name);
  return reference.qualifier ? `${arn}:${reference.qualifier}` : arn;
}
