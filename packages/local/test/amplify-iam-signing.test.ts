/**
 * docs/AUTH.md's browser example for IAM mode, run against the local stack: Amplify's REST `post`
 * signs with SigV4 for `execute-api` and the local gateway admits it. Identity pools are not
 * emulated, so Amplify's credentials provider hands over the stack's own credential — the signing
 * path, and the example's code, are Amplify's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type InferenceAnswer, type InferenceRequest, SAMPLE_CONFIG } from '@gatehouse/testing';
import { Amplify } from 'aws-amplify';
import { post } from 'aws-amplify/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../src';

const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-amplify-iam-'));
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ config: SAMPLE_CONFIG, stateDir, auth: { mode: 'iam' } });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

/** The example from docs/AUTH.md, unchanged but for taking the configuration as arguments. */
function configure(apiUrl: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  Amplify.configure(
    { API: { REST: { gatehouse: { endpoint: apiUrl, region } } } },
    {
      Auth: {
        credentialsProvider: {
          getCredentialsAndIdentityId: async () => ({ credentials }),
          clearCredentialsAndIdentityId: () => {},
        },
      },
    },
  );
}

async function ask(input: InferenceRequest): Promise<InferenceAnswer> {
  const { body } = await post({ apiName: 'gatehouse', path: '/inference', options: { body: { ...input } } }).response;
  return (await body.json()) as unknown as InferenceAnswer;
}

describe('Amplify REST post in iam mode', () => {
  it('is signed by Amplify and admitted by the local gateway', async () => {
    // Prepare
    const iam = stack.services.iam;
    if (!iam) throw new Error('no iam credential');
    configure(stack.config.apiUrl, iam.region, iam);
    // Act
    const answer = await ask({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' });
    // Assess
    expect(answer.answer).toMatch(/Acme Corp had revenue/);
  });

  it('is refused 403 when Amplify signs with a secret the stack does not know', async () => {
    // Prepare
    const iam = stack.services.iam;
    if (!iam) throw new Error('no iam credential');
    configure(stack.config.apiUrl, iam.region, { accessKeyId: iam.accessKeyId, secretAccessKey: 'wrong-secret' });
    // Act
    const failure = ask({ partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' });
    // Assess
    await expect(failure).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });
});
