/**
 * Normalisers every service compares contact data with, so "the same" means one thing across the
 * system: contacts-sync's first-sync matching and change detection (C7) and dedupe's scans (D1, D3).
 * @module
 */
export * from "./email.ts";
export * from "./phone.ts";
export * from "./name.ts";
export * from "./nicknames.ts";
export * from "./similarity.ts";
