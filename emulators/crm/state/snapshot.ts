import type { CrmEvent } from "@app/shared/contract";
import type { TenantData } from "./model.ts";

/** The JSON form of the whole simulator state: every tenant, and events not yet published. */
export interface Snapshot {
  format: "crm-simulator/1";
  savedAt: string;
  tenants: Array<Record<string, unknown>>;
  pendingEvents: CrmEvent[];
}

const MAPS = ["users", "groups", "contacts", "appointments", "order", "tombstones", "idempotency", "merges"] as const;

/** Serialises tenants (maps become arrays of entries, in order) and unpublished events. */
export function toSnapshot(tenants: TenantData[], pendingEvents: CrmEvent[], now: Date): Snapshot {
  return {
    format: "crm-simulator/1",
    savedAt: now.toISOString(),
    tenants: tenants.map((t) => {
      const out: Record<string, unknown> = { tenant: t.tenant, nextSeq: t.nextSeq, nextId: t.nextId };
      for (const m of MAPS) out[m] = [...t[m].entries()];
      return out;
    }),
    pendingEvents,
  };
}

/** Reads a snapshot written by {@link toSnapshot}; throws on any other format. */
export function fromSnapshot(json: unknown): { tenants: TenantData[]; pendingEvents: CrmEvent[] } {
  const s = json as Partial<Snapshot>;
  if (s?.format !== "crm-simulator/1" || !Array.isArray(s.tenants)) {
    throw new Error("not a crm-simulator/1 snapshot");
  }
  const tenants = s.tenants.map((raw) => {
    const t = { tenant: raw.tenant, nextSeq: raw.nextSeq, nextId: raw.nextId } as Record<string, unknown>;
    for (const m of MAPS) t[m] = new Map((raw[m] ?? []) as Array<[string, unknown]>);
    return t as unknown as TenantData;
  });
  return { tenants, pendingEvents: s.pendingEvents ?? [] };
}
