// Benchmark (not a test) of dedupe's contact scan (D1, D3) on the seeded generator's noisy data with
// known truth: pairwise precision, recall and F1 at the default threshold (counts included), the
// calibration of the proposed probabilities, and scan time and memory for 5,000 and 100,000 contacts
// on one core, with min/median/max beside a baseline measured in the same run (a bare pass that
// serialises every record). Run: deno task bench dedupe. Env: BENCH_DEDUPE_SIZES, BENCH_DEDUPE_RUNS.
import { scanContacts } from "@app/dedupe/match";
import { generateContacts, pairwiseQuality } from "@app/dedupe/testdata";
import type { Contact } from "@app/shared/contract";

const SIZES = (Deno.env.get("BENCH_DEDUPE_SIZES") ?? "5000,100000").split(",").map(Number);
const RUNS = Number(Deno.env.get("BENCH_DEDUPE_RUNS") ?? 5);
const SEED = 2026;
const THRESHOLD = 0.9; // the service's default (MATCH_THRESHOLD)

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: round(s[0]!), median: round(s[Math.floor(s.length / 2)]!), max: round(s[s.length - 1]!) };
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** The baseline: one pass that touches every field of every record. */
function barePass(contacts: readonly Contact[]): number {
  let n = 0;
  for (const c of contacts) n += JSON.stringify(c).length;
  return n;
}

const results = [];
for (const size of SIZES) {
  const data = generateContacts({ seed: SEED, records: size });
  const runs = size >= 50_000 ? Math.min(RUNS, 3) : RUNS;
  const scanMs: number[] = [], baseMs: number[] = [];
  let result: ReturnType<typeof scanContacts> | undefined;
  let heapMb = 0, rssMb = 0;
  for (let r = 0; r < runs; r++) {
    result = undefined;
    gc();
    const before = Deno.memoryUsage();
    let t = performance.now();
    barePass(data.contacts);
    baseMs.push(performance.now() - t);
    t = performance.now();
    result = scanContacts(data.contacts, { country: "DE", threshold: THRESHOLD });
    scanMs.push(performance.now() - t);
    const after = Deno.memoryUsage();
    heapMb = Math.max(heapMb, (after.heapUsed - before.heapUsed) / 2 ** 20);
    rssMb = Math.max(rssMb, after.rss / 2 ** 20);
  }
  const q = pairwiseQuality(data, result!.groups);
  // Calibration of what is proposed: mean predicted probability vs the share of true pairs, by bin.
  const bins = [[0.9, 0.99], [0.99, 0.999], [0.999, 1.01]].map(([lo, hi]) => {
    const pairs = result!.groups.flatMap((g) => g.pairs).filter((p) => p.probability >= lo! && p.probability < hi!);
    const truth = pairs.filter((p) => data.personOf.get(p.a) === data.personOf.get(p.b)).length;
    return {
      bin: `[${lo}, ${Math.min(hi!, 1)}]`,
      pairs: pairs.length,
      meanPredicted: pairs.length ? round(pairs.reduce((s, p) => s + p.probability, 0) / pairs.length, 4) : null,
      observed: pairs.length ? round(truth / pairs.length, 4) : null,
    };
  });
  const scan = stats(scanMs), base = stats(baseMs);
  results.push({
    contacts: size,
    seed: SEED,
    threshold: THRESHOLD,
    quality: {
      truePositives: q.truePositives,
      falsePositives: q.falsePositives,
      falseNegatives: q.falseNegatives,
      precision: round(q.precision, 4),
      recall: round(q.recall, 4),
      f1: round(q.f1, 4),
      householdLuresProposed: q.householdLuresProposed,
    },
    calibration: bins,
    stats: result!.stats,
    runs,
    scanMs: scan,
    baselineMs: base,
    scanOverBaseline: { min: round(scan.min / base.min), median: round(scan.median / base.median) },
    heapGrowthMb: round(heapMb),
    rssMb: round(rssMb),
    targets: {
      precision: q.precision >= 0.995,
      f1: q.f1 >= 0.98,
      noLure: q.householdLuresProposed === 0,
      time: size <= 5_000 ? scan.median <= 2_000 : size <= 100_000 ? scan.median <= 60_000 : null,
    },
  });
  console.log(JSON.stringify(results.at(-1)));
}
