/**
 * What the edge would load with the AWS SDK instead of its own client: `@aws-sdk/client-lambda`
 * with a client made at init. Bundled by the benchmark to measure size and cold init; not shipped.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

const client = new LambdaClient({ maxAttempts: 1 });

export async function handler(event: unknown): Promise<unknown> {
  const answer = await client.send(
    new InvokeCommand({ FunctionName: process.env.TARGET_LAMBDA_NAME, Payload: JSON.stringify(event) }),
  );
  return JSON.parse(new TextDecoder().decode(answer.Payload));
}
