/**
 * The Python example through the whole local stack, as `npm run start:python` runs it: a real ID
 * token from the identity emulator → gateway (JWT authorizer) → the project's edge (valibot schema)
 * → the Python core over the Lambda Runtime API → back, with each answer the edge maps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobView, Problem } from '@gatehouse/contract';
import { type RunningStack, signIn, startStack } from '@gatehouse/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionAnswer, DigestAnswer, SavedPromptAnswer } from '../src/schema';

const configFile = fileURLToPath(new URL('../gatehouse.config.ts', import.meta.url));
const stateDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-python-'));
const BODY = { prompt: 'The quick brown fox jumps over the lazy dog.', temperature: 0, maxTokens: 4 };

let stack: RunningStack;
let idToken: string;
const lambdaLog: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    config: configFile,
    stateDir,
    onLog: (source, line) => {
      if (source === 'lambda') lambdaLog.push(line);
    },
  });
  const { cognito, demoUser } = stack.config;
  idToken = (await signIn(cognito.endpoint, cognito.clientId, demoUser.username, demoUser.password)).IdToken;
});

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function call(method: string, route: string, body?: unknown) {
  return fetch(`${stack.config.apiUrl}${route}`, {
    method,
    headers: { authorization: idToken, 'content-type': 'application/json', origin: stack.config.webUrl },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('POST /completions (pass-through, Python)', () => {
  it("answers 200 with the Python core's completion", async () => {
    // Act
    const response = await call('POST', '/completions', BODY);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(stack.config.webUrl);
    const answer = (await response.json()) as CompletionAnswer;
    expect(answer).toMatchObject({
      completion: 'The quick brown fox',
      finishReason: 'length',
      usage: { promptTokens: 10, completionTokens: 4, totalTokens: 14 },
      stats: { words: 9, distinctWords: 8, sentences: 1 },
    });
    // The core's context object carries the request id Lambda gave the invocation.
    expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lambdaLog.some((line) => line.includes('completed 4 of 4 tokens at temperature 0'))).toBe(true);
  });

  it('refuses an invalid body at the edge with 422 and one error per field; the core never runs', async () => {
    // Prepare
    const logged = lambdaLog.length;

    // Act
    const response = await call('POST', '/completions', { prompt: '', temperature: 3, maxTokens: 1.5 });

    // Assess
    expect(response.status).toBe(422);
    const problem = (await response.json()) as Problem;
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { path: 'prompt', message: 'prompt must not be empty' },
        { path: 'temperature', message: 'temperature must be 2 or less' },
        { path: 'maxTokens', message: 'maxTokens must be a whole number' },
      ]),
    );
    expect(lambdaLog.slice(logged).some((line) => line.includes('completed'))).toBe(false);
  });

  it("maps the core's ValidationError to 400 with its message", async () => {
    const response = await call('POST', '/completions', { ...BODY, prompt: '?!' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'core_invalid_input',
      detail: 'prompt has no words to complete; write at least one word',
    });
  });

  it("maps the core's UnprocessableError to 422 core_unprocessable", async () => {
    const response = await call('POST', '/completions', {
      prompt: 'word '.repeat(5000),
      temperature: 0,
      maxTokens: 4096,
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      code: 'core_unprocessable',
      detail: expect.stringMatching(/context window/),
    });
  });
});

describe('GET /prompts/{id} (enriched, Python)', () => {
  it('gets the path parameter and the signed-in caller in Python', async () => {
    // Act
    const response = await call('GET', '/prompts/haiku');

    // Assess
    expect(response.status).toBe(200);
    const answer = (await response.json()) as SavedPromptAnswer;
    expect(answer).toMatchObject({
      id: 'haiku',
      maxTokens: 12,
      requestedBy: { email: stack.config.demoUser.username, groups: [] },
      routeKey: 'GET /prompts/{id}',
    });
  });

  it("maps the core's NotFoundError to 404", async () => {
    const response = await call('GET', '/prompts/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'core_not_found' });
  });
});

describe('POST /digests (a job route, Python)', () => {
  it('answers 202, and the job polled at its Location ends with the Python core’s answer', async () => {
    const response = await call('POST', '/digests', { ...BODY, seconds: 0.2 });
    expect(response.status).toBe(202);
    const { jobId } = (await response.json()) as { jobId: string };
    const location = new URL(response.headers.get('location') ?? '', stack.config.apiUrl).toString();
    let view: JobView<DigestAnswer> | undefined;
    for (let attempt = 0; attempt < 100 && view?.status !== 'succeeded' && view?.status !== 'failed'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const read = await fetch(location, { headers: { authorization: idToken } });
      view = (await read.json()) as JobView<DigestAnswer>;
    }
    expect(view).toMatchObject({ jobId, route: 'POST /digests', status: 'succeeded' });
    expect(view?.result).toMatchObject({ completion: 'The quick brown fox', thoughtSeconds: 0.2 });
  });
});
