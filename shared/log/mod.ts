/**
 * JSON-lines logging with correlation ids (request, run, message) carried through async calls,
 * and redaction of anything that looks like a secret.
 * @module
 */
export * from "./log.ts";
