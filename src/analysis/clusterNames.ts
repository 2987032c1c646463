// Names for clusters from each one's ranked classes (most likely first), no two alike: a cluster is named by its top
// two classes; where two clusters would share a name, each takes its next class that tells it apart, and what is
// still alike gets a number. Pure.

export function distinctNames(ranked: readonly (readonly string[])[], base = 2): string[] {
  const names = ranked.map((r) => r.slice(0, base).join(', '));
  const clashes = (i: number) => names.some((n, j) => j !== i && n === names[i]);
  const clashing = names.map((_, i) => clashes(i));
  ranked.forEach((r, i) => {
    if (!clashing[i]) return;
    const same = ranked.filter((_, j) => j !== i && names[j] === names[i]);
    // The first further class none of the namesakes has in its own top ranks.
    const own = r.slice(base).find((c) => same.every((o) => !o.slice(0, base + 2).includes(c)));
    if (own) names[i] = `${names[i]} · ${own}`;
  });
  const seen = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return names.map((n) => {
    if ((counts.get(n) ?? 0) < 2) return n;
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return `${n} #${k}`;
  });
}

/** A k to start k-means with: the number of labels when the map has two or more, else about √(n / 2), within 2–20. */
export function defaultClusterCount(pointCount: number, labelCount: number): number {
  if (labelCount >= 2) return Math.min(100, labelCount);
  return Math.max(2, Math.min(20, Math.round(Math.sqrt(pointCount / 2))));
}
