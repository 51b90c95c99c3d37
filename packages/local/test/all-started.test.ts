import { describe, expect, it } from 'vitest';
import { allStarted } from '../src/stack/all-started';

describe('allStarted', () => {
  it('resolves with every value, in order', async () => {
    await expect(allStarted([Promise.resolve(1), Promise.resolve('two')] as const)).resolves.toEqual([1, 'two']);
  });

  it('rejects with the first failure only after a slower sibling has started', async () => {
    // Prepare: one start fails at once, its sibling comes up later and registers for clean-up
    const started: string[] = [];
    const slow = new Promise<string>((resolve) =>
      setTimeout(() => {
        started.push('slow');
        resolve('slow');
      }, 50),
    );

    // Act
    const failure = await allStarted([Promise.reject(new Error('port busy')), slow] as const).catch((e: unknown) => e);

    // Assess: by the time the caller's clean-up runs, the slow service is known
    expect(failure).toEqual(new Error('port busy'));
    expect(started).toEqual(['slow']);
  });
});
