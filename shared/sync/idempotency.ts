/**
 * A stable idempotency key for a write: SHA-256 over the parts, so the same logical write retried
 * after a crash carries the same key, and keys stay short whatever the ids' length.
 */
export async function deriveIdempotencyKey(...parts: string[]): Promise<string> {
  const bytes = new TextEncoder().encode(parts.join("\u001f"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return "sync-" + Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
