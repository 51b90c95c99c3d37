/**
 * The Node runtime's channel (runtime-pipe.ts, runtimes/runtime-frames.mjs): frames cut from any
 * chunking, payloads over the limit skipped without being held, a broken channel ending its
 * environment — and a Node handler sees no Runtime API address, as on AWS it never uses one.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaService, nodeBundle, startLambdaService } from '../src/lambda';
import { encodeFrame, FrameError, FrameReader } from '../src/lambda/runtimes/runtime-frames.mjs';
import { signedInvoke } from './helpers/signed-invoke';
import { testCredential } from './helpers/test-credential';

const limits = { maxHeaderBytes: 64, maxPayloadBytes: 16 };

describe('FrameReader', () => {
  it('cuts the same frames from a stream split at every byte', () => {
    // Arrange
    const stream = Buffer.concat([
      encodeFrame({ type: 'response', requestId: 'a' }, '{"ok":true}'),
      encodeFrame({ type: 'ready' }),
      encodeFrame({ type: 'error', requestId: 'b', errorType: 'E' }, Buffer.from('{"é":1}')),
    ]);
    const reader = new FrameReader(limits);

    // Act
    const frames = [...stream].flatMap((byte) => reader.push(Buffer.from([byte])));

    // Assess
    expect(frames.map((f) => [f.header, f.payload?.toString('utf8')])).toEqual([
      [{ type: 'response', requestId: 'a' }, '{"ok":true}'],
      [{ type: 'ready' }, ''],
      [{ type: 'error', requestId: 'b', errorType: 'E' }, '{"é":1}'],
    ]);
  });

  it('skips a payload over the limit as it streams in, says how long it was, and reads the next frame whole', () => {
    // Arrange
    const big = encodeFrame({ type: 'response', requestId: 'big' }, 'y'.repeat(40));
    const next = encodeFrame({ type: 'response', requestId: 'next' }, 'ok');
    const reader = new FrameReader(limits);

    // Act
    const frames = [
      ...reader.push(big.subarray(0, 20)),
      ...reader.push(big.subarray(20, 45)),
      ...reader.push(Buffer.concat([big.subarray(45), next])),
    ];

    // Assess
    expect(frames).toEqual([
      { header: { type: 'response', requestId: 'big' }, payload: undefined, oversize: 40 },
      { header: { type: 'response', requestId: 'next' }, payload: Buffer.from('ok') },
    ]);
  });

  it.each([
    ['a header over the limit', Buffer.from('not a frame at all')],
    ['a header that is not JSON', Buffer.concat([lengths(3, 0), Buffer.from('{x}')])],
    ['a header without a type', Buffer.concat([lengths(2, 0), Buffer.from('{}')])],
  ])('refuses %s', (_case, bytes) => {
    expect(() => new FrameReader(limits).push(bytes)).toThrow(FrameError);
  });
});

describe('a Node execution environment', () => {
  const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const logLines: string[] = [];
  let service: LambdaService;

  beforeAll(async () => {
    service = await startLambdaService({
      credential: testCredential,
      port: 0,
      reloadOnChange: false,
      onLog: (_name, _stream, line) => logLines.push(line),
      functions: [
        {
          name: 'probe',
          ...nodeBundle(path.join(fixtures, 'pipe-probe.mjs')),
          timeoutSeconds: 5,
          memoryMb: 128,
          environment: {},
          maxProcesses: 1,
        },
      ],
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  const invoke = async (event: unknown) => {
    const response = await signedInvoke(service.url, 'probe', JSON.stringify(event));
    const text = await response.text();
    return {
      status: response.status,
      functionError: response.headers.get('x-amz-function-error'),
      json: JSON.parse(text),
    };
  };

  it('has no Runtime API address, and carries an answer of several megabytes whole', async () => {
    // Act
    const answer = await invoke({ action: 'probe', size: 3_000_000 });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json.runtimeApi).toBeNull();
    expect(answer.json.large).toHaveLength(3_000_000);
  });

  it('ends an environment whose answer pipe carries something that is not a frame, and the next invocation runs on a fresh one', async () => {
    // Arrange
    const before = (await invoke({ action: 'probe' })).json.pid as number;

    // Act
    const garbled = await invoke({ action: 'garble' });
    const after = await invoke({ action: 'probe' });

    // Assess
    expect(garbled.functionError).toBe('Unhandled');
    expect(garbled.json.errorType).toBe('Runtime.ExitError');
    expect(logLines.some((line) => line.startsWith("the runtime's channel broke: a frame header of"))).toBe(true);
    expect(after.status).toBe(200);
    expect(after.json.pid).not.toBe(before);
  });
});

function lengths(header: number, payload: number): Buffer {
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(header, 0);
  prefix.writeUInt32BE(payload, 4);
  return prefix;
}
