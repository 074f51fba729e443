/** A scored candidate pair (record indexes). */
export interface ScoredPair {
  i: number;
  j: number;
  p: number;
}

/**
 * What {@link groupPairs} asks of a pair inside a group being formed: its probability, and whether
 * its evidence speaks against it (a different person, or fields that disagree) rather than merely
 * being thin (fields missing on one side).
 */
export type PairJudge = (i: number, j: number) => { p: number; differentPerson: boolean; contradicts: boolean };

/** Options of {@link groupPairs}. */
export interface GroupingOptions {
  /** Pairs at or above this probability are proposed. */
  threshold: number;
  /** Two clusters join only if every pair across them is at least this likely… */
  linkFloor: number;
  /** …or, when its fields merely are missing (nothing contradicts it), at least this likely. */
  thinFloor?: number;
}

/**
 * Turns proposed pairs into groups without merging transitive chains blindly (D1): clusters grow by
 * the strongest pair first, and two clusters join only when no pair across them is contradicted
 * (A ~ B and B ~ C, but A's given name or birthday clearly not C's, leaves C out). A pair that is
 * unlikely only because one side lacks the fields that would tell does not block. Groups have at
 * least two members.
 */
export function groupPairs(pairs: readonly ScoredPair[], judge: PairJudge, o: GroupingOptions): number[][] {
  const strong = pairs.filter((p) => p.p >= o.threshold).sort((a, b) => b.p - a.p || a.i - b.i || a.j - b.j);
  const cluster = new Map<number, number[]>();
  const cache = new Map<string, ReturnType<PairJudge>>();
  const judged = (a: number, b: number) => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const key = `${x}:${y}`;
    let r = cache.get(key);
    if (!r) cache.set(key, r = judge(x, y));
    return r;
  };
  const plausible = (a: number, b: number) => {
    const r = judged(a, b);
    return !r.differentPerson && (r.p >= o.linkFloor || (!r.contradicts && r.p >= (o.thinFloor ?? 0)));
  };
  const ambiguous = new Set<number>();
  for (const e of strong) {
    const ci = cluster.get(e.i) ?? [e.i];
    const cj = cluster.get(e.j) ?? [e.j];
    if (ci === cj) continue;
    if (!ci.every((a) => cj.every((b) => plausible(a, b)))) {
      // A record strongly like two people who are not one (a record without a given name, like both
      // members of a household) cannot be placed: it is proposed with neither.
      for (const [x, cx, y] of [[e.i, ci, e.j], [e.j, cj, e.i]] as const) {
        if (cx.some((z) => z !== x && judged(z, y).differentPerson)) ambiguous.add(x);
      }
      continue;
    }
    const joined = [...ci, ...cj].sort((a, b) => a - b);
    for (const r of joined) cluster.set(r, joined);
  }
  const groups = [...new Set(cluster.values())].map((g) => g.filter((r) => !ambiguous.has(r)));
  return groups.filter((g) => g.length > 1).sort((a, b) => a[0]! - b[0]!);
}
