import { and, eq } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { toGraphError } from "@app/shared/graph";
import { encodeBase64Url } from "@app/shared/encoding";
import { type ContactsSyncSchema, subscriptions } from "../db/schema.ts";
import { contactFolderPath } from "./graph_contacts.ts";

const SubscriptionSchema = z.object({ id: z.string().min(1), expirationDateTime: z.string() });
const LIFETIME_MS = 3 * 24 * 60 * 60_000; // under Outlook's 10,080-minute maximum
const RENEW_BEFORE_MS = 24 * 60 * 60_000;

/**
 * Keeps one Graph change-notification subscription per user on their contact folder (P3): created
 * when missing, renewed a day before it expires, recreated for a new folder. Notifications only
 * trigger runs; delta stays the source of truth.
 */
export class ContactSubscriptions {
  constructor(private readonly db: PostgresJsDatabase<ContactsSyncSchema>, private readonly notificationUrl: string) {}

  async ensure(client: Client, tenantId: string, userId: string, folderId: string): Promise<void> {
    const where = and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.userId, userId));
    const [row] = await this.db.select().from(subscriptions).where(where);
    const expiresAt = new Date(Date.now() + LIFETIME_MS);
    try {
      if (row && row.folderId === folderId) {
        if (row.expiresAt.getTime() - Date.now() > RENEW_BEFORE_MS) return;
        await client.api(`/subscriptions/${row.id}`).patch({ expirationDateTime: expiresAt.toISOString() });
        await this.db.update(subscriptions).set({ expiresAt }).where(eq(subscriptions.id, row.id));
        return;
      }
      if (row) {
        await client.api(`/subscriptions/${row.id}`).delete().catch(() => {});
        await this.db.delete(subscriptions).where(eq(subscriptions.id, row.id));
      }
      const clientState = encodeBase64Url(crypto.getRandomValues(new Uint8Array(24)));
      const created = SubscriptionSchema.parse(
        await client.api("/subscriptions").post({
          changeType: "created,updated,deleted",
          notificationUrl: this.notificationUrl,
          lifecycleNotificationUrl: this.notificationUrl,
          resource: `${contactFolderPath(folderId)}/contacts`,
          expirationDateTime: expiresAt.toISOString(),
          clientState,
        }),
      );
      await this.db.insert(subscriptions).values({
        id: created.id,
        tenantId,
        userId,
        folderId,
        clientState,
        expiresAt: new Date(created.expirationDateTime),
      });
    } catch (err) {
      throw toGraphError(err);
    }
  }

  /** The user a notification is for, when its subscription and client state are ours. */
  async resolve(subscriptionId: string, clientState: string | undefined) {
    const [row] = await this.db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
    if (!row || row.clientState !== clientState) return undefined;
    return { tenantId: row.tenantId, userId: row.userId };
  }

  /** Forgets a subscription Graph removed, so the next run creates a new one. */
  async forget(subscriptionId: string): Promise<void> {
    await this.db.delete(subscriptions).where(eq(subscriptions.id, subscriptionId));
  }
}
