/**
 * Starting services side by side without leaking one: unlike `Promise.all`, this waits for every
 * start to settle before rejecting, so a service still starting when a sibling failed has tracked
 * itself for `stop()` by then, instead of coming up after the clean-up and outliving the stack.
 */

/** Like Promise.all, but waits for every promise to settle before rejecting with the first failure. */
export async function allStarted<T extends readonly unknown[]>(
  promises: { [K in keyof T]: Promise<T[K]> },
): Promise<{ -readonly [K in keyof T]: T[K] }> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: T[K] };
}
