/**
 * Generic sync engine parts shared by contacts and calendar sync: field-level three-way merge (C9),
 * the link row shape with intent states for crash safety, the P6 safety check, idempotency keys,
 * batching and the typed delta-expired error.
 * @module
 */
export * from "./three_way_merge.ts";
export * from "./link.ts";
export * from "./safety.ts";
export * from "./errors.ts";
export * from "./idempotency.ts";
export * from "./batch.ts";
