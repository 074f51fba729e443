import { eq, lt } from "drizzle-orm";
import type { Sealed } from "../crypto/token_cipher.ts";
import { linkStates } from "../db/schema.ts";
import type { Db } from "./db.ts";

/** A pending sign-in as stored (the PKCE verifier still sealed). */
export type LinkStateRow = typeof linkStates.$inferSelect;

// Expired states are kept a while so a late callback hears "expired", not "unknown".
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

/** Pending sign-ins, looked up by the SHA-256 of their OAuth state. */
export class LinkStateStore {
  constructor(private readonly db: Db) {}

  async create(row: {
    stateHash: string;
    tenantId: string;
    userId: string;
    verifier: Sealed;
    nonce: string;
    returnUrl: string | null;
    loginHint: string | null;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.delete(linkStates).where(lt(linkStates.expiresAt, new Date(Date.now() - KEEP_EXPIRED_MS)));
    await this.db.insert(linkStates).values({
      ...row,
      verifier: row.verifier.ciphertext,
      keyId: row.verifier.keyId,
    });
  }

  /** Takes the state out (single use): a second callback with it finds nothing. */
  async consume(stateHash: string): Promise<LinkStateRow | undefined> {
    const [row] = await this.db.delete(linkStates).where(eq(linkStates.stateHash, stateHash)).returning();
    return row;
  }
}
