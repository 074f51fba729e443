import { and, eq } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { encodeBase64Url } from "../encoding/mod.ts";
import { toGraphError } from "../graph/errors.ts";
import type { subscriptionsTable } from "./tables.ts";

// deno-lint-ignore no-explicit-any -- works on any service's schema object
type AnyDb = PostgresJsDatabase<any>;

const SubscriptionSchema = z.object({ id: z.string().min(1), expirationDateTime: z.string() });
const LIFETIME_MS = 3 * 24 * 60 * 60_000; // under Outlook's 10,080-minute maximum
const RENEW_BEFORE_MS = 24 * 60 * 60_000;

/**
 * One Graph change-notification subscription per user on the kind's folder or calendar (P3):
 * created when missing, renewed a day before it expires (or at once after a
 * `reauthorizationRequired`), recreated for a new target. Notifications only trigger runs; delta
 * stays the source of truth.
 */
export class GraphSubscriptions {
  constructor(
    private readonly db: AnyDb,
    private readonly table: ReturnType<typeof subscriptionsTable>,
    private readonly notificationUrl: string,
    private readonly resourceOf: (targetId: string) => string,
  ) {}

  /** Makes sure the user has a live subscription on `targetId`; true when one is live afterwards. */
  async ensure(client: Client, tenantId: string, userId: string, targetId: string): Promise<boolean> {
    const t = this.table;
    const [row] = await this.db.select().from(t).where(and(eq(t.tenantId, tenantId), eq(t.userId, userId)));
    const expiresAt = new Date(Date.now() + LIFETIME_MS);
    try {
      if (row && row.folderId === targetId) {
        if (row.expiresAt.getTime() - Date.now() > RENEW_BEFORE_MS) return true;
        await client.api(`/subscriptions/${row.id}`).patch({ expirationDateTime: expiresAt.toISOString() });
        await this.db.update(t).set({ expiresAt }).where(eq(t.id, row.id));
        return true;
      }
      if (row) {
        await client.api(`/subscriptions/${row.id}`).delete().catch(() => {});
        await this.db.delete(t).where(eq(t.id, row.id));
      }
      const clientState = encodeBase64Url(crypto.getRandomValues(new Uint8Array(24)));
      const created = SubscriptionSchema.parse(
        // Immutable ids in notifications, as the links hold them (C8; echoes are recognised by id).
        await client.api("/subscriptions").header("Prefer", 'IdType="ImmutableId"').post({
          changeType: "created,updated,deleted",
          notificationUrl: this.notificationUrl,
          lifecycleNotificationUrl: this.notificationUrl,
          resource: this.resourceOf(targetId),
          expirationDateTime: expiresAt.toISOString(),
          clientState,
        }),
      );
      await this.db.insert(t).values({
        id: created.id,
        tenantId,
        userId,
        folderId: targetId,
        clientState,
        expiresAt: new Date(created.expirationDateTime),
      });
      return true;
    } catch (err) {
      throw toGraphError(err);
    }
  }

  /** The user a notification is for, when its subscription and client state are ours. */
  async resolve(subscriptionId: string, clientState: string | undefined) {
    const t = this.table;
    const [row] = await this.db.select().from(t).where(eq(t.id, subscriptionId));
    if (!row || row.clientState !== clientState) return undefined;
    return { tenantId: row.tenantId, userId: row.userId };
  }

  /** Graph asks to renew (`reauthorizationRequired`): the next run does. */
  async renewSoon(subscriptionId: string): Promise<void> {
    await this.db.update(this.table).set({ expiresAt: new Date() }).where(eq(this.table.id, subscriptionId));
  }

  /** Forgets a subscription Graph removed, so the next run creates a new one. */
  async forget(subscriptionId: string): Promise<void> {
    await this.db.delete(this.table).where(eq(this.table.id, subscriptionId));
  }
}
