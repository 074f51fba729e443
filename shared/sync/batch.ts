/** Splits `items` into consecutive chunks of at most `size` (Graph `$batch` takes ≤ 20). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Cannot chunk as 'size' must be ≥ 1: ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
