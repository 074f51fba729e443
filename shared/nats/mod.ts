/**
 * NATS helpers: the subject/stream catalogue, connecting, idempotent JetStream topology, publishing
 * envelopes, a consume loop with retry and dead letters, typed request/reply, consumer backlogs.
 * @module
 */
export * from "./catalog.ts";
export * from "./connect.ts";
export * from "./streams.ts";
export * from "./publish.ts";
export * from "./consume.ts";
export * from "./rpc.ts";
export * from "./backlog.ts";
