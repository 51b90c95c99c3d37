/**
 * A local core calls AWS with the developer's credentials, served by the credentials endpoint and
 * refreshed as on Lambda: the stub AWS endpoints verify which key signed each request, so these
 * tests fail if a core signs with the stack's local credential, finds a key in its environment, or
 * gets another core's credentials — and the edge-like function never sees the developer's key.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedCoreCredentials } from '@gatehouse/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoreCredentialSource, type CredentialsEndpoint, startCredentialsEndpoint } from '../src/credentials';
import { type LambdaService, type LocalFunctionDefinition, startLambdaService } from '../src/lambda';
import { signedInvoke } from './helpers/signed-invoke';
import { newKey, type StubAws, type StubKey, startStubAws } from './helpers/stub-aws';
import { testCredential } from './helpers/test-credential';

const fixtures = fileURLToPath(new URL('./fixtures/aws-calls/', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'gatehouse-core-credentials-'));
const localCredential = testCredential;
const developer = newKey();
const profileKey = newKey();
const ROLE = 'arn:aws:iam::123456789012:role/ask-local';
const DEPLOYED_ROLE = 'arn:aws:iam::123456789012:role/shop-ask-core';

/** Variables of the stack's own process the credential chain reads; restored after each test. */
const CHAIN_VARIABLES = [
  'AWS_EC2_METADATA_DISABLED',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
];
const saved = Object.fromEntries(CHAIN_VARIABLES.map((name) => [name, process.env[name]]));

let aws: StubAws;
let endpoint: CredentialsEndpoint;
let service: LambdaService | undefined;
const problems: string[] = [];

beforeAll(async () => {
  aws = await startStubAws({ keys: [developer, profileKey], assumableRoles: [ROLE, DEPLOYED_ROLE] });
  endpoint = await startCredentialsEndpoint({ onProblem: (core, line) => problems.push(`${core}: ${line}`) });
});

afterEach(async () => {
  await service?.close();
  service = undefined;
  for (const name of CHAIN_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

afterAll(async () => {
  await endpoint.close();
  await aws.close();
});

/** The developer's chain as a shell would hold it: keys in the environment, no profile files. */
function developerInEnvironment(key: StubKey = developer): void {
  process.env.AWS_ACCESS_KEY_ID = key.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = key.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_CONFIG_FILE = path.join(scratch, 'no-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(scratch, 'no-credentials');
}

function core(
  name: string,
  credentials: ResolvedCoreCredentials,
  code: Pick<LocalFunctionDefinition, 'runtime' | 'handler'>,
): LocalFunctionDefinition {
  const source = new CoreCredentialSource({ project: 'shop', core: name, credentials, stsEndpoint: aws.url });
  return {
    name,
    codeDir: fixtures,
    timeoutSeconds: 20,
    memoryMb: 256,
    environment: { S3_ENDPOINT: aws.url },
    awsCredentials: endpoint.issuerFor(name, source),
    ...code,
  };
}

const nodeCore = { runtime: 'nodejs22.x', handler: 's3-core.handler' } as const;
const pythonCore = { runtime: 'python3.12', handler: 'creds_core.handler' } as const;

async function invoke(functions: LocalFunctionDefinition[], name: string): Promise<Record<string, unknown>> {
  service ??= await startLambdaService({ port: 0, functions, reloadOnChange: false, credential: localCredential });
  const answer = await signedInvoke(service.url, name, '{}');
  const text = await answer.text();
  expect(answer.status, text).toBe(200);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('a Node core calls S3 through @aws-sdk/client-s3', () => {
  it("signs with the developer's key from the stack's environment, which only the endpoint gave it", async () => {
    // Prepare
    developerInEnvironment();
    const before = aws.signedBy.length;

    // Act
    const answer = await invoke([core('ask', { kind: 'developer' }, nodeCore)], 'ask');

    // Assess
    expect(answer).toEqual({ body: 'hello from the stub bucket', keyInEnvironment: null, secretInEnvironment: null });
    expect(aws.signedBy.slice(before)).toEqual([developer.accessKeyId]);
  });

  it("signs with a profile's key from the developer's credentials file, whatever the environment holds", async () => {
    // Prepare
    developerInEnvironment();
    const file = path.join(scratch, 'credentials-profile');
    writeFileSync(
      file,
      `[reports]\naws_access_key_id = ${profileKey.accessKeyId}\naws_secret_access_key = ${profileKey.secretAccessKey}\n`,
    );
    process.env.AWS_SHARED_CREDENTIALS_FILE = file;
    const before = aws.signedBy.length;

    // Act
    const answer = await invoke([core('ask', { kind: 'profile', profile: 'reports' }, nodeCore)], 'ask');

    // Assess
    expect(answer.body).toBe('hello from the stub bucket');
    expect(aws.signedBy.slice(before)).toEqual([profileKey.accessKeyId]);
  });

  it('signs with the role it assumed through STS, the request to STS signed by the developer', async () => {
    // Prepare
    developerInEnvironment();
    const before = aws.signedBy.length;

    // Act
    const answer = await invoke([core('ask', { kind: 'assumeRole', role: ROLE }, nodeCore)], 'ask');

    // Assess
    expect(answer.body).toBe('hello from the stub bucket');
    const [stsCaller, s3Caller] = aws.signedBy.slice(before);
    expect(stsCaller).toBe(developer.accessKeyId);
    expect(s3Caller).toMatch(/^ASIA/);
    expect(aws.assumed.at(-1)).toBe(ROLE);
  });
});

describe('a Python core fetches its credentials from the endpoint and signs with them', () => {
  it("signs with the developer's key; no key is in its environment", async () => {
    // Prepare
    developerInEnvironment();
    const before = aws.signedBy.length;

    // Act
    const answer = await invoke([core('py', { kind: 'developer' }, pythonCore)], 'py');

    // Assess
    expect(answer).toEqual({ body: 'hello from the stub bucket', keyInEnvironment: null });
    expect(aws.signedBy.slice(before)).toEqual([developer.accessKeyId]);
  });
});

describe('assumeRole', () => {
  it("'deployed' assumes the core's own execution role, named from the project and core", async () => {
    // Prepare
    developerInEnvironment();
    const source = new CoreCredentialSource({
      project: 'shop',
      core: 'ask',
      credentials: { kind: 'assumeRole', role: 'deployed' },
      stsEndpoint: aws.url,
    });

    // Act
    const credentials = await source.get();

    // Assess
    expect(aws.assumed.at(-1)).toBe(DEPLOYED_ROLE);
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.sessionToken).toBe('stub-session-token');
  });

  it('a role that refuses the developer leaves the stack running and says once what to do', async () => {
    // Prepare
    developerInEnvironment();
    const refusing = 'arn:aws:iam::123456789012:role/not-for-you';
    const definition = core('denied', { kind: 'assumeRole', role: refusing }, nodeCore);
    const echo: LocalFunctionDefinition = { ...definition, name: 'echo', handler: 'env-echo.handler' };
    problems.length = 0;

    // Act
    const first = await invoke([definition, echo], 'denied');
    const stillServing = await invoke([], 'echo');

    // Assess
    expect(String(first.errorMessage)).toMatch(/CredentialsUnavailable|could not load credentials|you may not assume/i);
    expect(problems.filter((p) => p.startsWith('denied:'))).toEqual([
      expect.stringMatching(
        /^denied: no AWS credentials for this core: you may not assume arn:aws:iam::123456789012:role\/not-for-you: add your identity to the role's trust policy/,
      ),
    ]);
    expect(stillServing.keyInEnvironment).toBeNull();
  });

  it('no credentials at all: the message says what to run, the profile named', async () => {
    // Prepare
    developerInEnvironment();
    const source = new CoreCredentialSource({
      project: 'shop',
      core: 'ask',
      credentials: { kind: 'profile', profile: 'absent' },
    });

    // Act
    const failure = await source.get().then(
      () => undefined,
      (error: Error) => error,
    );

    // Assess
    expect(failure?.message).toMatch(
      /^no AWS credentials found in profile absent: run `aws configure --profile absent` or `aws sso login --profile absent`/,
    );
  });
});

describe('refreshing, as the SDKs in the core expect', () => {
  it('serves the same credentials until 20 minutes before they expire, then reads the chain again; a failed refresh keeps what still works', async () => {
    // Prepare: keys with no expiry are served for an hour
    developerInEnvironment();
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const source = new CoreCredentialSource({ project: 'shop', core: 'ask', credentials: { kind: 'developer' } });
    const start = Date.now();
    const rotated = newKey();

    // Act
    const first = await source.get(start);
    developerInEnvironment(rotated);
    const beforeRefresh = await source.get(start + 39 * 60_000);
    const afterRefresh = await source.get(start + 41 * 60_000);
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete process.env[name];
    const keptOnFailure = await source.get(start + 82 * 60_000);
    const expired = await source.get(start + 101 * 60_000).then(
      () => undefined,
      (error: Error) => error,
    );

    // Assess
    expect(first.accessKeyId).toBe(developer.accessKeyId);
    expect(first.expiration.getTime()).toBe(start + 60 * 60_000);
    expect(beforeRefresh.accessKeyId).toBe(developer.accessKeyId);
    expect(afterRefresh.accessKeyId).toBe(rotated.accessKeyId);
    expect(keptOnFailure.accessKeyId).toBe(rotated.accessKeyId);
    expect(expired?.message).toMatch(
      /^no AWS credentials found in the environment, ~\/\.aws\/credentials or ~\/\.aws\/config: run `aws configure`/,
    );
  });
});

describe('the edge keeps the local credential', () => {
  it("a function without AWS credentials of its own signs with the stack's key and never sees the developer's", async () => {
    // Prepare
    developerInEnvironment();
    const echo: LocalFunctionDefinition = {
      name: 'edge-like',
      runtime: 'nodejs22.x',
      codeDir: fixtures,
      handler: 'env-echo.handler',
      timeoutSeconds: 5,
      memoryMb: 128,
    };

    // Act
    const answer = await invoke([echo], 'edge-like');

    // Assess
    expect(answer).toEqual({ keyInEnvironment: localCredential.accessKeyId, credentialsUri: null });
  });
});

describe('the credentials endpoint admits only the environment it issued a token to', () => {
  it('refuses no token, a wrong token, a foreign Host, a browser, and a token whose environment ended', async () => {
    // Prepare
    developerInEnvironment();
    const issuer = endpoint.issuerFor(
      'ask',
      new CoreCredentialSource({ project: 'shop', core: 'ask', credentials: { kind: 'developer' } }),
    );
    const issued = issuer.issue();
    const uri = issued.environment.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '';
    const token = issued.environment.AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '';
    const other = issuer.issue();
    const get = (headers: Record<string, string>, url = uri) => fetch(url, { headers });

    // Act
    const good = await get({ authorization: token });
    const statuses = [
      (await get({})).status,
      (await get({ authorization: `${token}x` })).status,
      (await get({ authorization: other.environment.AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '' })).status,
      (await get({ authorization: token, origin: 'http://evil.example' })).status,
      await statusWithHost(uri, token, `evil.example:${new URL(uri).port}`),
    ];
    issued.revoke();
    const afterRevoke = (await get({ authorization: token })).status;
    other.revoke();

    // Assess
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({
      AccessKeyId: developer.accessKeyId,
      SecretAccessKey: developer.secretAccessKey,
      Token: '',
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    expect(afterRevoke).toBe(403);
  });
});

/** fetch may not set Host; a DNS-rebound page's request carries the attacker's name in it. */
function statusWithHost(uri: string, token: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(uri, { headers: { authorization: token, host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
