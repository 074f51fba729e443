import type { CONTACT_COMPARISONS } from "./compare.ts";
import type { FsModel } from "./model.ts";

// Starting point and regulariser of the fit (D3), in CONTACT_COMPARISONS order: m = P(level |
// duplicate); u = P(level | two records picked at random), where agreement is rare. Judgement, not
// data: a tenant's own records move them (model.ts).
const PRIOR: Record<keyof typeof CONTACT_COMPARISONS, { m: number[]; u: number[] }> = {
  given: { m: [0.75, 0.03, 0.03, 0.17, 0.015, 0.005], u: [0.03, 0.002, 0.003, 0.02, 0.15, 0.795] },
  family: { m: [0.45, 0.3, 0.2, 0.02, 0.03], u: [0.0005, 0.004, 0.002, 0.0005, 0.993] },
  email: { m: [0.75, 0.03, 0.07, 0.15], u: [0.0001, 0.0001, 0.0001, 0.9997] },
  phone: { m: [0.6, 0.2, 0.2], u: [0.0001, 0.0005, 0.9994] },
  company: { m: [0.8, 0.1, 0.1], u: [0.01, 0.005, 0.985] },
  address: { m: [0.8, 0.1, 0.1], u: [0.0005, 0.01, 0.9895] },
  birthday: { m: [0.85, 0.05, 0.05, 0.05], u: [0.0003, 0.0001, 0.005, 0.9946] },
};

/** The prior model of contact duplicates. */
export function contactPrior(): FsModel {
  return {
    lambda: 1e-4,
    comparisons: Object.values(PRIOR).map((p) => ({ m: [...p.m], u: [...p.u] })),
    iterations: 0,
    converged: true,
  };
}
