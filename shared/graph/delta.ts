import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { UpstreamError } from "../errors/mod.ts";
import { toGraphError } from "./errors.ts";

/** One page of a delta round as Graph sends it. */
const DeltaPageSchema = z.object({
  value: z.array(z.record(z.string(), z.unknown())),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
}).refine((p) => p["@odata.nextLink"] || p["@odata.deltaLink"], "a delta page carries a nextLink or a deltaLink");

/** Everything one delta round returned: items changed or created, ids removed, the next cursor. */
export interface DeltaRound<T> {
  /** True when the round started without a cursor: `upserts` is then the complete state. */
  complete: boolean;
  upserts: T[];
  removedIds: string[];
  /** The deltaLink to start the next round from. */
  cursor: string;
  /** HTTP requests this round made. */
  requests: number;
}

/** Options for {@link walkDelta}. */
export interface WalkDeltaOptions<T> {
  /** The initial delta URL (relative to the version, e.g. `/me/contactFolders/{id}/contacts/delta`). */
  initialPath: string;
  /** The saved deltaLink, or `undefined` for an initial round. */
  cursor: string | undefined;
  /** Parses one upserted item; a malformed item fails the round (fail closed). */
  parse: (raw: unknown) => T;
  pageSize?: number;
  headers?: Record<string, string>;
}

/**
 * Walks one delta round to its deltaLink, collecting upserts and `@removed` ids. A stale cursor
 * throws {@link DeltaExpiredError}; the caller then runs an initial round (a full resync) and
 * reconciles, never deleting by omission. Any non-2xx answer is an error, never an empty page.
 */
export async function walkDelta<T extends { id: string }>(
  client: Client,
  o: WalkDeltaOptions<T>,
): Promise<DeltaRound<T>> {
  const latest = new Map<string, T>();
  const removed = new Set<string>();
  let url: string = o.cursor ?? o.initialPath;
  let requests = 0;
  const prefer = [`odata.maxpagesize=${o.pageSize ?? 200}`];
  while (true) {
    let raw: unknown;
    try {
      requests++;
      raw = await client.api(url).headers({ Prefer: prefer.join(", "), ...o.headers }).get();
    } catch (err) {
      throw toGraphError(err);
    }
    const page = DeltaPageSchema.safeParse(raw);
    if (!page.success) {
      throw new UpstreamError("graph_bad_delta_page", `malformed delta page: ${page.error.issues[0]?.message}`);
    }
    for (const item of page.data.value) {
      const id = String(item.id ?? "");
      // Graph may send the same item twice in a round; the last state wins.
      if (item["@removed"]) {
        latest.delete(id);
        removed.add(id);
      } else {
        latest.set(id, o.parse(item));
        removed.delete(id);
      }
    }
    const next = page.data["@odata.nextLink"];
    if (next) {
      url = next;
      continue;
    }
    return {
      complete: o.cursor === undefined,
      upserts: [...latest.values()],
      removedIds: [...removed],
      cursor: page.data["@odata.deltaLink"]!,
      requests,
    };
  }
}
