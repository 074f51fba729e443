/**
 * Small encodings every part uses: base64url (tokens, ids, keys) and SHA-256 hex (key hashes,
 * idempotency keys, stored state).
 * @module
 */
export * from "./base64url.ts";
export * from "./sha256.ts";
