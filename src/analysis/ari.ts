// Adjusted Rand index between two labelings (Hubert & Arabie 1985); pure maths, no DOM.

/** ARI of two partitions of the same items (any comparable ids; null items are skipped). 1 = identical, ~0 = chance. */
export function adjustedRandIndex(a: ArrayLike<string | number | null>, b: ArrayLike<string | number | null>): number {
  if (a.length !== b.length) throw new Error(`label arrays differ in length: ${a.length} vs ${b.length}`);
  const table = new Map<string, number>();
  const rowsA = new Map<string | number, number>();
  const colsB = new Map<string | number, number>();
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    n++;
    const key = `${typeof x}:${x}\u0000${typeof y}:${y}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rowsA.set(x, (rowsA.get(x) ?? 0) + 1);
    colsB.set(y, (colsB.get(y) ?? 0) + 1);
  }
  const c2 = (m: number): number => (m * (m - 1)) / 2;
  let sumCells = 0;
  for (const v of table.values()) sumCells += c2(v);
  let sumA = 0;
  for (const v of rowsA.values()) sumA += c2(v);
  let sumB = 0;
  for (const v of colsB.values()) sumB += c2(v);
  const total = c2(n);
  if (total === 0) return 1;
  const expected = (sumA * sumB) / total;
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1; // both partitions trivial (all one cluster or all singletons)
  return (sumCells - expected) / (max - expected);
}
