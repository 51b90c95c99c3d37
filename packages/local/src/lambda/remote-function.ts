/**
 * A core that runs on AWS while everything else runs locally: the local Invoke API forwards its
 * invocations to the deployed function with the developer's own credentials (the SDK's Node
 * provider chain: environment, profile, SSO), in the Lambda service's process — never in a bundle,
 * so no credential ever reaches the edge. One attempt only (`maxAttempts: 1`): a retry could run
 * the core twice. Each way it can fail is one clear dev-log line saying what to run, and an Invoke
 * API error the edge already maps (access → misconfigured, throttling → 503, …).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { InvocationRequest } from './execution-environment';
import type { RemoteFunctionDefinition } from './function-definition';
import type { FunctionErrorPayload } from './function-errors';
import type { PoolOutcome } from './function-pool';

/** An Invoke API error to answer the local caller with. */
export class RemoteInvokeError extends Error {
  override name = 'RemoteInvokeError';
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const ARN_REGION = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

export class RemoteFunction {
  private client: LambdaClient | undefined;

  constructor(
    readonly definition: RemoteFunctionDefinition,
    private readonly log: (line: string) => void,
  ) {}

  async invoke(request: InvocationRequest): Promise<PoolOutcome> {
    const { functionName } = this.definition.remote;
    try {
      const answer = await this.lambda().send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(request.event),
        }),
      );
      const payload = Buffer.from(answer.Payload ?? new Uint8Array()).toString('utf8');
      if (answer.FunctionError) return { kind: 'function-error', payload: functionError(payload) };
      return { kind: 'success', payload };
    } catch (error) {
      const mapped = this.explain(error);
      this.log(`remote ${functionName}: ${mapped.message}`);
      throw mapped;
    }
  }

  private lambda(): LambdaClient {
    const { functionName, profile, endpoint } = this.definition.remote;
    const region = this.definition.remote.region ?? ARN_REGION.exec(functionName)?.[1];
    this.client ??= new LambdaClient({
      maxAttempts: 1,
      credentials: fromNodeProviderChain(profile ? { profile } : {}),
      ...(profile ? { profile } : {}),
      ...(region ? { region } : {}),
      ...(endpoint ? { endpoint } : {}),
    });
    return this.client;
  }

  /** One line a developer can act on, and the Invoke API error the edge maps. */
  private explain(error: unknown): RemoteInvokeError {
    const { functionName, profile } = this.definition.remote;
    const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    const login = profile ? `aws sso login --profile ${profile}` : 'aws sso login';
    const message = e.message ?? String(error);
    if (/sso/i.test(message) && /expired|invalid|refresh/i.test(message)) {
      return new RemoteInvokeError(403, 'ExpiredTokenException', `the SSO session has expired: run \`${login}\``, {
        cause: error,
      });
    }
    if (e.name === 'CredentialsProviderError' || e.name === 'TokenProviderError') {
      const where = profile ? `profile ${profile}` : 'the environment, ~/.aws/credentials or ~/.aws/config';
      return new RemoteInvokeError(
        403,
        'MissingAuthenticationTokenException',
        `no AWS credentials found in ${where}: run \`aws configure${profile ? ` --profile ${profile}` : ''}\` or \`${login}\` (${message})`,
        { cause: error },
      );
    }
    if (e.name === 'ExpiredTokenException' || e.name === 'ExpiredToken') {
      return new RemoteInvokeError(
        403,
        'ExpiredTokenException',
        `the AWS credentials have expired: run \`${login}\` or refresh them`,
        {
          cause: error,
        },
      );
    }
    if (e.name === 'AccessDeniedException' || e.name === 'AccessDenied') {
      return new RemoteInvokeError(
        403,
        'AccessDeniedException',
        `access denied: these credentials may not call lambda:InvokeFunction on ${functionName} (${message})`,
        { cause: error },
      );
    }
    if (e.name === 'ResourceNotFoundException') {
      return new RemoteInvokeError(
        404,
        'ResourceNotFoundException',
        `function ${functionName} not found: check the core's remote.function and remote.region (${message})`,
        { cause: error },
      );
    }
    if (/region is missing/i.test(message)) {
      return new RemoteInvokeError(
        400,
        'InvalidParameterValueException',
        `no region: set remote.region, or AWS_REGION, or a profile's region`,
        {
          cause: error,
        },
      );
    }
    const code = e.code ?? (error as { cause?: { code?: string } }).cause?.code;
    if ((code && NETWORK_CODES.has(code)) || e.name === 'TimeoutError') {
      return new RemoteInvokeError(
        502,
        'ServiceException',
        `cannot reach AWS Lambda (${code ?? e.name}): check the network`,
        {
          cause: error,
        },
      );
    }
    const status = e.$metadata?.httpStatusCode;
    if (status && e.name) return new RemoteInvokeError(status, e.name, message, { cause: error });
    return new RemoteInvokeError(500, 'ServiceException', `the call failed: ${message}`, { cause: error });
  }
}

function functionError(payload: string): FunctionErrorPayload {
  try {
    const value = JSON.parse(payload) as FunctionErrorPayload;
    if (value && typeof value.errorType === 'string') return value;
  } catch {
    // described below
  }
  return { errorType: 'Unknown', errorMessage: payload.slice(0, 1_000) };
}
