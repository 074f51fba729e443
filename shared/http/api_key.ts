import { encodeBase64Url, sha256Hex } from "../encoding/mod.ts";

/** A freshly issued API key: `plain` is shown once to the operator; only `hash` is stored. */
export interface IssuedApiKey {
  keyId: string;
  plain: string;
  hash: string;
}

const KEY_FORMAT = /^csk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** Issues a random API key `csk_<keyId>_<secret>` (256-bit secret). */
export async function issueApiKey(): Promise<IssuedApiKey> {
  const idBytes = crypto.getRandomValues(new Uint8Array(12));
  const keyId = Array.from(idBytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
  const secret = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const plain = `csk_${keyId}_${secret}`;
  return { keyId, plain, hash: await hashApiKey(plain) };
}

/** The key id of a well-formed key, or `undefined`. */
export function apiKeyId(plain: string): string | undefined {
  return KEY_FORMAT.exec(plain)?.[1];
}

/** SHA-256 of the key, hex. Keys carry 256 random bits, so a fast hash is enough to store them. */
export function hashApiKey(plain: string): Promise<string> {
  return sha256Hex(plain);
}

/** Compares two equal-length strings in constant time. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
