/**
 * What the local Lambda service knows about a function — the subset of a Lambda function's
 * configuration that changes how it runs — and the ARN it answers to.
 */

export interface FunctionDefinition {
  name: string;
  /** An ESM bundle (e.g. `packages/edge/dist/index.mjs`). */
  bundlePath: string;
  /** The bundle's export to call; `handler` by default, as `index.handler` on AWS. */
  handlerExport?: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** The function's own environment variables, on top of what Lambda sets. */
  environment?: Record<string, string>;
  /** Concurrent execution environments before invocations queue; 4 by default. */
  maxWorkers?: number;
}

export const LOCAL_ACCOUNT_ID = '000000000000';

export function functionArn(region: string, name: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}
