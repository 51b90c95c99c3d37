import { describe, expect, it } from 'vitest';
import { formatMs, latencyText } from '../src/components/latency';

describe('latency', () => {
  it('never shows a fast edge as 0 ms', () => {
    expect(formatMs(0)).toBe('<1 ms');
    expect(formatMs(0.4)).toBe('<1 ms');
    expect(formatMs(3.26)).toBe('3.3 ms');
    expect(formatMs(41.6)).toBe('42 ms');
  });

  it('names the total and, when the edge sent them, the edge and core shares', () => {
    expect(latencyText({ totalMs: 12.2, edgeMs: 0.3, coreMs: 1.25 })).toBe(
      '12 ms total in the browser · edge <1 ms · core 1.3 ms',
    );
    expect(latencyText({ totalMs: 30 })).toBe('30 ms total in the browser');
  });
});
