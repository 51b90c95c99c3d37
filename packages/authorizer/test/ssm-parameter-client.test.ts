import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSsmParameterClient, SsmError } from '../src/ssm-parameter-client';

interface Seen {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

describe('SSM parameter client', () => {
  let server: Server;
  let endpoint: string;
  const seen: Seen[] = [];
  const values = new Map<string, string>([['/keys', '[]']]);

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      seen.push({ headers: req.headers, body });
      const target = req.headers['x-amz-target'];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target === 'AmazonSSM.GetParameter') {
        const value = values.get(String(body.Name));
        if (value === undefined) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'ParameterNotFound', message: '' }));
          return;
        }
        res.end(JSON.stringify({ Parameter: { Name: body.Name, Value: value, Type: 'SecureString' } }));
        return;
      }
      if (target === 'AmazonSSM.PutParameter') {
        if (String(body.Name).startsWith('/denied')) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'not allowed' }));
          return;
        }
        values.set(String(body.Name), String(body.Value));
        res.end(JSON.stringify({ Version: 2, Tier: 'Standard' }));
        return;
      }
      res.statusCode = 400;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const env = () => ({
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SSM: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'session-token',
  });

  it('reads a decrypted parameter with a SigV4-signed request to the overridden endpoint', async () => {
    const client = createSsmParameterClient(env());
    expect(await client.get('/keys')).toBe('[]');
    const request = seen.at(-1);
    expect(request?.body).toEqual({ Name: '/keys', WithDecryption: true });
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/ssm\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers['x-amz-security-token']).toBe('session-token');
  });

  it('answers undefined for a missing parameter, and writes SecureStrings', async () => {
    const client = createSsmParameterClient(env());
    expect(await client.get('/missing')).toBeUndefined();
    await client.put('/new', '["x"]');
    expect(seen.at(-1)?.body).toEqual({ Name: '/new', Value: '["x"]', Type: 'SecureString', Overwrite: true });
    expect(await client.get('/new')).toBe('["x"]');
  });

  it('raises other service errors with their type', async () => {
    const client = createSsmParameterClient(env());
    const error = await client.put('/denied', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsmError);
    expect(error).toMatchObject({ errorType: 'AccessDeniedException', message: 'not allowed', status: 400 });
  });

  it('needs a region and credentials, and says how to export a profile’s', () => {
    expect(() => createSsmParameterClient({})).toThrow(/AWS_REGION is not set/);
    expect(() => createSsmParameterClient({ AWS_REGION: 'us-east-1' })).toThrow(/aws configure export-credentials/);
  });
});
