/**
 * The two SSM Parameter Store calls the key list needs (GetParameter, PutParameter), SigV4-signed
 * with the tiny `aws4` signer over `fetch`, rather than the full SDK client (about 100 ms of cold
 * start for two calls). Credentials and region come from the standard Lambda/CLI environment; the
 * standard `AWS_ENDPOINT_URL_SSM` (then `AWS_ENDPOINT_URL`) override points it at the local stack.
 */
import aws4 from 'aws4';

export class SsmError extends Error {
  override name = 'SsmError';
  constructor(
    readonly errorType: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

type Env = Record<string, string | undefined>;

export interface SsmParameterClient {
  /** The parameter's value (decrypted), or `undefined` when it does not exist. */
  get(name: string): Promise<string | undefined>;
  put(name: string, value: string): Promise<void>;
}

const TIMEOUT_MS = 3000;

export function createSsmParameterClient(env: Env = process.env): SsmParameterClient {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new SsmError('ConfigError', 'AWS_REGION is not set', 0);
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) {
    // Profiles and SSO live in files this small client does not read; the CLI can export them.
    throw new SsmError(
      'ConfigError',
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (with a profile or SSO: eval "$(aws configure export-credentials --format env)")',
      0,
    );
  }
  const endpoint = new URL(env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL ?? `https://ssm.${region}.amazonaws.com`);

  async function call(target: string, body: object): Promise<unknown> {
    const payload = JSON.stringify(body);
    const signed = aws4.sign(
      {
        host: endpoint.host,
        path: endpoint.pathname,
        method: 'POST',
        service: 'ssm',
        region,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${target}` },
        body: payload,
      },
      { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN },
    );
    const headers = Object.fromEntries(
      Object.entries(signed.headers ?? {})
        .filter(([name]) => name.toLowerCase() !== 'host' && name.toLowerCase() !== 'content-length')
        .map(([name, value]) => [name, String(value)]),
    );
    const response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: payload,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    const json: Record<string, unknown> = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const type = String(json.__type ?? response.headers.get('x-amzn-errortype') ?? 'UnknownError')
        .split('#')
        .pop();
      throw new SsmError(
        type ?? 'UnknownError',
        String(json.message ?? json.Message ?? response.statusText),
        response.status,
      );
    }
    return json;
  }

  return {
    async get(name) {
      try {
        const result = (await call('GetParameter', { Name: name, WithDecryption: true })) as {
          Parameter?: { Value?: string };
        };
        return result.Parameter?.Value;
      } catch (error) {
        if (error instanceof SsmError && error.errorType === 'ParameterNotFound') return undefined;
        throw error;
      }
    },
    async put(name, value) {
      await call('PutParameter', { Name: name, Value: value, Type: 'SecureString', Overwrite: true });
    },
  };
}
