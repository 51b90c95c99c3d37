import { describe, expect, it } from 'vitest';
import { parseServerTiming } from '../src/index';

describe('parseServerTiming', () => {
  it('reads the durations the edge sends', () => {
    expect(parseServerTiming('edge;dur=12.3, core;dur=8.1')).toEqual({ edge: 12.3, core: 8.1 });
  });

  it('tolerates descriptions, quoted values, spacing and metrics without a duration', () => {
    expect(parseServerTiming('cache;desc="hit", edge ; desc="lambda" ; dur="4.5",core;dur=bad')).toEqual({ edge: 4.5 });
  });

  it('returns nothing for an absent header', () => {
    expect(parseServerTiming(null)).toEqual({});
    expect(parseServerTiming('')).toEqual({});
  });
});
