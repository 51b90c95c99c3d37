/**
 * A minimal client for the three DynamoDB operations jobs need — PutItem, GetItem, UpdateItem, and
 * Scan for the local stack's restart sweep — over DynamoDB's JSON protocol (`X-Amz-Target`,
 * `application/x-amz-json-1.0`), SigV4-signed with `aws4` and sent over one keep-alive agent, as
 * the edge's Invoke client does and for the same reason: `@aws-sdk/client-dynamodb` would add
 * hundreds of KB and a cold-start cost to an edge that needs four calls. Errors keep DynamoDB's
 * type (`ConditionalCheckFailedException`) so callers branch on it; nothing is retried here.
 */
import http from 'node:http';
import https from 'node:https';
import aws4 from 'aws4';
import type { AwsEnvironment } from '../aws-environment';

/** DynamoDB's attribute value, as far as jobs use it. */
export type AttributeValue = { S: string } | { N: string } | { NULL: true };
export type Item = Record<string, AttributeValue>;

export class DynamoDbError extends Error {
  override name = 'DynamoDbError';

  constructor(
    /** `ConditionalCheckFailedException`, `ResourceNotFoundException`, …, or a network error code. */
    readonly errorType: string,
    message: string,
    readonly statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get conditionFailed(): boolean {
    return this.errorType === 'ConditionalCheckFailedException';
  }
}

/** A DynamoDB answer is small for jobs (one item ≤ 400 KB, a page of a scan ≤ 1 MB). */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;

export class DynamoDbClient {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(private readonly aws: AwsEnvironment) {
    this.transport = aws.endpoint.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /** Calls one operation (`PutItem`) with its JSON request; resolves with its JSON answer. */
  async call(operation: string, request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { endpoint } = this.aws;
    const body = JSON.stringify(request);
    const signed = aws4.sign(
      {
        service: 'dynamodb',
        region: this.aws.region,
        method: 'POST',
        host: endpoint.host,
        path: endpoint.pathname || '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${operation}`,
        },
        body,
      },
      this.aws.credentials,
    );
    const { status, text } = await this.send(signed.path ?? '/', signed.headers as http.OutgoingHttpHeaders, body);
    const json = parseObject(text);
    if (status >= 200 && status < 300 && json) return json;
    const rawType = typeof json?.__type === 'string' ? json.__type : `HTTP${status}`;
    const message = typeof json?.message === 'string' ? json.message : String(json?.Message ?? text.slice(0, 300));
    throw new DynamoDbError(rawType.split('#').pop() ?? rawType, message, status);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    path: string,
    headers: http.OutgoingHttpHeaders,
    body: string,
  ): Promise<{ status: number; text: string }> {
    const { endpoint } = this.aws;
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        {
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          port: endpoint.port || undefined,
          method: 'POST',
          path,
          headers,
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              request.destroy(new Error(`DynamoDB's answer exceeded ${MAX_RESPONSE_BYTES} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', (error) => reject(networkError(error)));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer from DynamoDB in ${REQUEST_TIMEOUT_MS} ms`)));
      request.on('error', (error) => reject(networkError(error)));
      request.end(body);
    });
  }
}

function networkError(error: Error): DynamoDbError {
  const code = (error as NodeJS.ErrnoException).code ?? 'NetworkError';
  return new DynamoDbError(code, `DynamoDB could not be reached: ${error.message}`, undefined, { cause: error });
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
