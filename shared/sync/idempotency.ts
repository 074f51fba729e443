import { sha256Hex } from "../encoding/mod.ts";

/**
 * A stable idempotency key for a write: SHA-256 over the parts, so the same logical write retried
 * after a crash carries the same key, and keys stay short whatever the ids' length.
 */
export async function deriveIdempotencyKey(...parts: string[]): Promise<string> {
  return "sync-" + await sha256Hex(parts.join("\u001f"));
}
