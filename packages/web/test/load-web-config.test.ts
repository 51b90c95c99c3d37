import type { WebConfig } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import { loadWebConfig, WebConfigError } from '../src/config/load-web-config';

const CONFIG: WebConfig = {
  apiUrl: 'http://127.0.0.1:4000/prod',
  region: 'us-east-1',
  userPoolId: 'us-east-1_Gatehouse',
  userPoolClientId: 'client-1',
  userPoolEndpoint: 'http://127.0.0.1:9229',
  authFlowType: 'USER_PASSWORD_AUTH',
};

const answering = (response: Response | Error) =>
  (async () => {
    if (response instanceof Error) throw response;
    return response;
  }) as unknown as typeof fetch;

async function problemOf(fetchFn: typeof fetch) {
  const error = await loadWebConfig(fetchFn).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WebConfigError);
  return (error as WebConfigError).problem;
}

describe('loadWebConfig', () => {
  it('returns a valid configuration', async () => {
    const fetchFn = answering(Response.json(CONFIG));
    await expect(loadWebConfig(fetchFn)).resolves.toEqual(CONFIG);
  });

  it('calls a 404, or the HTML fallback page of a static host, missing', async () => {
    expect(await problemOf(answering(new Response('not found', { status: 404 })))).toBe('missing');
    const html = new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } });
    expect(await problemOf(answering(html))).toBe('missing');
  });

  it('calls broken JSON or a wrong shape malformed', async () => {
    const json = { 'content-type': 'application/json' };
    expect(await problemOf(answering(new Response('{', { status: 200, headers: json })))).toBe('malformed');
    const noFlow = { ...CONFIG, authFlowType: 'CUSTOM_AUTH' };
    expect(await problemOf(answering(Response.json(noFlow)))).toBe('malformed');
  });

  it('calls a failed fetch or a server error unreachable', async () => {
    expect(await problemOf(answering(new TypeError('Failed to fetch')))).toBe('unreachable');
    const failing = new Response('{}', { status: 500, headers: { 'content-type': 'application/json' } });
    expect(await problemOf(answering(failing))).toBe('unreachable');
  });
});
