/**
 * A Fellegi–Sunter model (D3): each comparison level has a probability `m` among duplicates and `u`
 * among different records; a pair's match probability is the posterior given its levels.
 *
 * Estimation from the tenant's own data: `u` from a sample of random record pairs (nearly all
 * different people), `m` and the prior `lambda` by expectation–maximisation over the candidate
 * pairs (which hold nearly all duplicates). Because `u` and `lambda` refer to all pairs, not to
 * the candidates, the posterior does not depend on how blocking chose them. Both are regularised
 * towards priors (pseudo-counts), so a small tenant gets sensible weights and a large one its own.
 */

/** Parameters of one comparison: `m[level]` and `u[level]`, each summing to 1. */
export interface LevelParams {
  m: number[];
  u: number[];
}

/** A fitted model: the prior probability that two records are one, and each comparison's levels. */
export interface FsModel {
  lambda: number;
  comparisons: LevelParams[];
  /** EM iterations run and whether the parameters settled. */
  iterations: number;
  converged: boolean;
}

/** Counts of distinct comparison patterns: the levels (-1 missing) and how many pairs had them. */
export interface PatternCounts {
  patterns: Int8Array[];
  counts: number[];
}

/** Options of {@link fitModel}. */
export interface FitOptions {
  prior: FsModel;
  /** Comparison patterns of random record pairs, for `u`. */
  random: PatternCounts;
  /** All record pairs of the tenant (n·(n−1)/2), the population `lambda` refers to. */
  totalPairs: number;
  /** Prior of `lambda` (default the prior model's); it weighs as 2 % of all pairs. */
  lambdaPrior?: number;
  /** Weight of the prior, in pairs, for `m` (default 50) and for `u` (default 200). */
  pseudoPairsM?: number;
  pseudoPairsU?: number;
  maxIterations?: number;
  tolerance?: number;
  /** Candidate patterns never scored (ruled out beforehand): left out of the fit. */
  exclude?: (levels: Int8Array) => boolean;
}

/** Posterior probability that a pair with `levels` is a duplicate, under `model`. */
export function matchProbability(model: FsModel, levels: ArrayLike<number>): number {
  let logRatio = Math.log(model.lambda / (1 - model.lambda));
  for (let c = 0; c < model.comparisons.length; c++) {
    const l = levels[c]!;
    if (l < 0) continue;
    const p = model.comparisons[c]!;
    logRatio += Math.log(p.m[l]! / p.u[l]!);
  }
  return 1 / (1 + Math.exp(-logRatio));
}

/** A level's weight of evidence in bits (log2 m/u). */
export function levelWeight(model: FsModel, comparison: number, level: number): number {
  const p = model.comparisons[comparison]!;
  return Math.log2(p.m[level]! / p.u[level]!);
}

/** Fits `u` to the random pairs, then `m` and `lambda` to the candidate pairs by EM. */
export function fitModel(candidates: PatternCounts, o: FitOptions): FsModel {
  const alphaM = o.pseudoPairsM ?? 50;
  const alphaU = o.pseudoPairsU ?? 200;
  const maxIterations = o.maxIterations ?? 100;
  const tolerance = o.tolerance ?? 1e-7;
  const u = estimateU(o.random, o.prior, alphaU);
  const keep = candidates.patterns.map((p) => !o.exclude?.(p));
  // The prior share weighs as 2 % of all pairs, so a tenant of five contacts keeps a sane λ.
  const alphaLambda = Math.max(10, o.totalPairs * 0.02);
  const lambdaPrior = o.lambdaPrior ?? o.prior.lambda;
  let model: FsModel = {
    lambda: lambdaPrior,
    comparisons: o.prior.comparisons.map((c, i) => ({ m: [...c.m], u: u[i]! })),
    iterations: 0,
    converged: true,
  };
  for (let it = 1; it <= maxIterations; it++) {
    const mAcc = o.prior.comparisons.map((c) => c.m.map((x) => alphaM * x));
    let matched = 0;
    for (let p = 0; p < candidates.patterns.length; p++) {
      if (!keep[p]) continue;
      const levels = candidates.patterns[p]!;
      const n = candidates.counts[p]!;
      const w = n * matchProbability(model, levels);
      matched += w;
      for (let c = 0; c < levels.length; c++) if (levels[c]! >= 0) mAcc[c]![levels[c]!]! += w;
    }
    const next: FsModel = {
      lambda: clamp((matched + alphaLambda * lambdaPrior) / (o.totalPairs + alphaLambda), 1e-9, 0.5),
      comparisons: model.comparisons.map((c, i) => ({ m: normalise(mAcc[i]!), u: c.u })),
      iterations: it,
      converged: false,
    };
    const delta = maxDelta(model, next);
    model = next;
    if (delta < tolerance) return { ...model, converged: true };
  }
  return model;
}

function estimateU(random: PatternCounts, prior: FsModel, alpha: number): number[][] {
  const acc = prior.comparisons.map((c) => c.u.map((x) => alpha * x));
  random.patterns.forEach((levels, p) => {
    for (let c = 0; c < levels.length; c++) if (levels[c]! >= 0) acc[c]![levels[c]!]! += random.counts[p]!;
  });
  return acc.map(normalise);
}

// No level is ever impossible in either class: a single pair must not weigh ±30 bits.
const PROBABILITY_FLOOR = 1e-5;

function normalise(xs: number[]): number[] {
  const s = xs.reduce((a, b) => a + b, 0);
  return xs.map((x) => clamp(x / s, PROBABILITY_FLOOR, 1));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function maxDelta(a: FsModel, b: FsModel): number {
  let d = Math.abs(Math.log(a.lambda) - Math.log(b.lambda)) * 1e-3;
  a.comparisons.forEach((c, i) => c.m.forEach((x, l) => d = Math.max(d, Math.abs(x - b.comparisons[i]!.m[l]!))));
  return d;
}
