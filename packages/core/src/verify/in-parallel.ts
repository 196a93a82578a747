/**
 * `fn` over every item, at most `limit` at a time, results in the items'
 * order. Each environment's check catches its own failures, so one broken
 * GitOps repository never stops the others: a throw here is a bug.
 */
export async function mapInParallel<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
