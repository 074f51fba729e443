import { sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { LinkDuplicate } from "@app/shared/contract";
import { type CalendarSyncSchema, eventLinks } from "../db/schema.ts";

const MAX_ITEMS = 1_000;

/**
 * What calendar-sync's links say about duplicate CRM appointments in a tenant (D4), read from the
 * link rows only: different appointments linked to one Outlook event, and different appointments
 * linked to copies of one meeting (one iCalUId, E12) in several mailboxes.
 */
export class EventLinkEvidencePg {
  constructor(private readonly db: PostgresJsDatabase<CalendarSyncSchema>) {}

  async duplicates(tenantId: string): Promise<{ items: LinkDuplicate[]; truncated: boolean }> {
    const l = eventLinks;
    const grouped = (column: typeof l.graphId | typeof l.iCalUId) =>
      this.db.execute<{ key: string; crm_ids: string[]; user_ids: string[] }>(sql`
        select ${column} as key, array_agg(distinct ${l.crmId}) as crm_ids, array_agg(distinct ${l.userId}) as user_ids
        from ${l}
        where ${l.tenantId} = ${tenantId} and ${column} is not null and ${l.crmId} is not null
        group by ${column} having count(distinct ${l.crmId}) > 1
        limit ${MAX_ITEMS + 1}`);
    const sameEvent = await grouped(l.graphId);
    const sameMeeting = await grouped(l.iCalUId);
    const items: LinkDuplicate[] = [
      ...sameEvent.map((r) => ({
        kind: "same_outlook_item" as const,
        recordIds: [...r.crm_ids].sort(),
        userIds: [...r.user_ids].sort(),
        detail: `linked to one Outlook event (${r.key.slice(0, 40)})`,
      })),
      ...sameMeeting.map((r) => ({
        kind: "same_ical_uid" as const,
        recordIds: [...r.crm_ids].sort(),
        userIds: [...r.user_ids].sort(),
        detail: `copies of one Outlook meeting (iCalUId ${r.key.slice(0, 40)}) in ${r.user_ids.join(", ")}`,
      })),
    ];
    return { items: items.slice(0, MAX_ITEMS), truncated: items.length > MAX_ITEMS };
  }
}
