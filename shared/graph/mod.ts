/**
 * Microsoft Graph access shared by the services: a client per mailbox with token, concurrency and
 * retry discipline, and the helpers the sync engines build on.
 * @module
 */
export * from "./client.ts";
export * from "./semaphore.ts";
export * from "./errors.ts";
export * from "./delta.ts";
export * from "./batch.ts";
