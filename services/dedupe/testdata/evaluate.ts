import type { GeneratedData } from "./generator.ts";

/** Pairwise quality of proposed groups against the generator's truth. */
export interface PairwiseQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Proposed pairs of two different people of one household (must be 0). */
  householdLuresProposed: number;
}

/** Counts every pair inside a proposed group against every pair of records of one person. */
export function pairwiseQuality(truth: GeneratedData, groups: ReadonlyArray<{ recordIds: string[] }>): PairwiseQuality {
  let tp = 0, fp = 0, lures = 0;
  for (const g of groups) {
    for (let x = 0; x < g.recordIds.length; x++) {
      for (let y = x + 1; y < g.recordIds.length; y++) {
        const pa = truth.personOf.get(g.recordIds[x]!)!, pb = truth.personOf.get(g.recordIds[y]!)!;
        if (pa === pb) tp++;
        else {
          fp++;
          const ha = truth.householdOf.get(pa);
          if (ha !== undefined && ha === truth.householdOf.get(pb)) lures++;
        }
      }
    }
  }
  const perPerson = new Map<number, number>();
  for (const p of truth.personOf.values()) perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
  let truePairs = 0;
  for (const n of perPerson.values()) truePairs += (n * (n - 1)) / 2;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = truePairs === 0 ? 1 : tp / truePairs;
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: truePairs - tp,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    householdLuresProposed: lures,
  };
}
