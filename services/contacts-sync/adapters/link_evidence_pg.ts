import { sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { LinkDuplicate } from "@app/shared/contract";
import { contactLinks, type ContactsSyncSchema } from "../db/schema.ts";

const MAX_ITEMS = 1_000;

/**
 * What contacts-sync's own links say about duplicates in a tenant's CRM (D4), read from its link
 * rows only: links of different CRM contacts pointing at one Outlook item, and contacts the sync
 * created from Outlook whose content is exactly what it had synced for another contact (its own
 * write, copied without our id stamp and imported back).
 */
export class LinkEvidencePg {
  constructor(private readonly db: PostgresJsDatabase<ContactsSyncSchema>) {}

  async duplicates(tenantId: string): Promise<{ items: LinkDuplicate[]; truncated: boolean }> {
    const l = contactLinks;
    const sameItem = await this.db.execute<{ graph_id: string; crm_ids: string[]; user_ids: string[] }>(sql`
      select ${l.graphId} as graph_id, array_agg(distinct ${l.crmId}) as crm_ids, array_agg(distinct ${l.userId}) as user_ids
      from ${l}
      where ${l.tenantId} = ${tenantId} and ${l.graphId} is not null and ${l.crmId} is not null
      group by ${l.graphId} having count(distinct ${l.crmId}) > 1
      limit ${MAX_ITEMS + 1}`);
    // Pairs started from Outlook carry the id `graph:<id>`; those whose CRM contact the sync created
    // (or matched) share their last synced content with a contact the sync had written.
    const echoes = await this.db.execute<{ originals: string[]; imported: string[]; user_ids: string[] }>(sql`
      select array_agg(distinct ${l.crmId}) filter (where ${l.id} not like 'graph:%') as originals,
             array_agg(distinct ${l.crmId}) filter (where ${l.id} like 'graph:%') as imported,
             array_agg(distinct ${l.userId}) as user_ids
      from ${l}
      where ${l.tenantId} = ${tenantId} and ${l.crmId} is not null and ${l.base} is not null and ${l.state} = 'synced'
      group by ${l.base}
      having count(distinct ${l.crmId}) > 1 and bool_or(${l.id} like 'graph:%')
      limit ${MAX_ITEMS + 1}`);
    const items: LinkDuplicate[] = [
      ...sameItem.map((r) => ({
        kind: "same_outlook_item" as const,
        recordIds: [...r.crm_ids].sort(),
        userIds: [...r.user_ids].sort(),
        detail: `linked to one Outlook contact (${r.graph_id.slice(0, 40)})`,
      })),
      ...echoes.map((r) => {
        const originals = [...(r.originals ?? [])].sort();
        const imported = [...(r.imported ?? [])].sort().filter((id) => !originals.includes(id));
        const recordIds = [...originals, ...imported];
        return {
          kind: "echo" as const,
          recordIds,
          userIds: [...r.user_ids].sort(),
          detail: originals.length > 0
            ? `${imported.join(", ")} came from Outlook (${r.user_ids.join(", ")}) as a copy of ${
              originals.join(", ")
            }, which the sync had written there`
            : `${imported.join(", ")} came from Outlook (${r.user_ids.join(", ")}) with the same content`,
        };
      }),
    ].filter((d) => d.recordIds.length >= 2);
    return { items: items.slice(0, MAX_ITEMS), truncated: items.length > MAX_ITEMS };
  }
}
