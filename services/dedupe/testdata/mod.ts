/**
 * The seeded generator of noisy duplicates with known truth, and pairwise scoring against it
 * (dedupe's benchmark and tests).
 * @module
 */
export * from "./generator.ts";
export * from "./evaluate.ts";
