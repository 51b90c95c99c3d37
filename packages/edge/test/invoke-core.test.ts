import { describe, expect, it } from 'vitest';
import { DEADLINE_MARGIN_MS, deadlineFor, invokeCore, MAX_ATTEMPTS } from '../src/invoke-core';
import {
  FunctionNotReadyError,
  InvokeNetworkError,
  InvokeThrottledError,
  InvokeTimeoutError,
} from '../src/invoke-errors';
import type { InvokeResult } from '../src/lambda-invoke-client';

const TARGET = { functionName: 'gatehouse-core', qualifier: undefined };

/** A client that plays a script of answers and counts its calls. */
function scriptedClient(script: Array<InvokeResult | Error>) {
  const calls: AbortSignal[] = [];
  return {
    calls,
    invoke: async (_target: unknown, _payload: string, signal: AbortSignal): Promise<InvokeResult> => {
      calls.push(signal);
      const next = script[Math.min(calls.length - 1, script.length - 1)];
      if (next instanceof Error) throw next;
      return next as InvokeResult;
    },
  };
}

function ok(payload: string, functionError?: string): InvokeResult {
  return { functionError, payload: Buffer.from(payload), awsRequestId: 'r' };
}

const throttled = () => new InvokeThrottledError('Rate Exceeded.', 'TooManyRequestsException', 429, undefined);

describe('deadlineFor', () => {
  it('is the shorter of CORE_TIMEOUT_MS and the remaining time less the margin, never negative', () => {
    // Act / Assess
    expect(deadlineFor(10_000, 29_000)).toBe(10_000);
    expect(deadlineFor(10_000, 3_000)).toBe(3_000 - DEADLINE_MARGIN_MS);
    expect(deadlineFor(10_000, 100)).toBe(0);
  });
});

describe('invokeCore', () => {
  it('parses a JSON answer as success', async () => {
    // Act
    const report = await invokeCore('{}', {
      client: scriptedClient([ok('{"a":1}')]),
      target: TARGET,
      coreTimeoutMs: 1000,
      remainingTimeMs: 5000,
    });

    // Assess
    expect(report).toEqual({ outcome: { kind: 'success', value: { a: 1 } }, attempts: 1, deadlineMs: 1000 });
  });

  it('reports a payload that is not JSON as a bad response', async () => {
    // Act
    const report = await invokeCore('{}', {
      client: scriptedClient([ok('<html>')]),
      target: TARGET,
      coreTimeoutMs: 1000,
      remainingTimeMs: 5000,
    });

    // Assess
    expect(report.outcome.kind).toBe('bad-response');
  });

  it('reads a function error, handled or not, and tolerates a malformed error payload', async () => {
    // Act
    const handled = await invokeCore('{}', {
      client: scriptedClient([ok('{"errorType":"NotFoundError","errorMessage":"gone","trace":[]}', 'Handled')]),
      target: TARGET,
      coreTimeoutMs: 1000,
      remainingTimeMs: 5000,
    });
    const malformed = await invokeCore('{}', {
      client: scriptedClient([ok('Task timed out after 3.00 seconds', 'Unhandled')]),
      target: TARGET,
      coreTimeoutMs: 1000,
      remainingTimeMs: 5000,
    });

    // Assess
    expect(handled.outcome).toEqual({
      kind: 'function-error',
      errorType: 'NotFoundError',
      errorMessage: 'gone',
      handled: true,
    });
    expect(malformed.outcome).toMatchObject({ kind: 'function-error', errorType: 'Unknown', handled: false });
  });

  it('retries throttling, where the core did not run, and succeeds', async () => {
    // Prepare
    const client = scriptedClient([throttled(), ok('"fine"')]);

    // Act
    const report = await invokeCore('{}', { client, target: TARGET, coreTimeoutMs: 5000, remainingTimeMs: 10_000 });

    // Assess
    expect(report.outcome).toEqual({ kind: 'success', value: 'fine' });
    expect(report.attempts).toBe(2);
  });

  it(`stops retrying throttling after ${MAX_ATTEMPTS} attempts`, async () => {
    // Prepare
    const client = scriptedClient([throttled()]);

    // Act
    const report = await invokeCore('{}', { client, target: TARGET, coreTimeoutMs: 5000, remainingTimeMs: 10_000 });

    // Assess
    expect(client.calls).toHaveLength(MAX_ATTEMPTS);
    expect(report.outcome).toMatchObject({ kind: 'invoke-error', error: { errorType: 'TooManyRequestsException' } });
  });

  it.each([
    ['a network error', new InvokeNetworkError('ECONNRESET', 'ECONNRESET', undefined)],
    ['a function not ready', new FunctionNotReadyError('m', 'ResourceConflictException', 409)],
    ['a timeout', new InvokeTimeoutError('m', 'Timeout', undefined)],
  ])('never retries %s, where the core may have run', async (_name, error) => {
    // Prepare
    const client = scriptedClient([error, ok('"second"')]);

    // Act
    const report = await invokeCore('{}', { client, target: TARGET, coreTimeoutMs: 5000, remainingTimeMs: 10_000 });

    // Assess
    expect(client.calls).toHaveLength(1);
    expect(report.outcome).toEqual({ kind: 'invoke-error', error });
  });

  it('does not call the core when no time is left', async () => {
    // Prepare
    const client = scriptedClient([ok('{}')]);

    // Act
    const report = await invokeCore('{}', {
      client,
      target: TARGET,
      coreTimeoutMs: 5000,
      remainingTimeMs: DEADLINE_MARGIN_MS,
    });

    // Assess
    expect(client.calls).toHaveLength(0);
    expect(report.outcome).toMatchObject({ kind: 'invoke-error', error: { name: 'InvokeTimeoutError' } });
  });

  it('rethrows what is not an invoke error (a bug, not an outcome)', async () => {
    // Prepare
    const client = scriptedClient([new TypeError('bug')]);

    // Act / Assess
    await expect(
      invokeCore('{}', { client, target: TARGET, coreTimeoutMs: 5000, remainingTimeMs: 10_000 }),
    ).rejects.toThrow(TypeError);
  });
});
