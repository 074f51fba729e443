import type { Context } from "hono";
import type { OutlookItem } from "../state/items.ts";
import type { GraphEnv } from "./env.ts";
import { irresolvableConflict } from "./errors.ts";
import { etagOf } from "./odata.ts";

/**
 * Enforces `If-Match` on writes: `*` or the item's current `W/"changeKey"` (the bare change key
 * is accepted too). Anything else answers 412 `ErrorIrresolvableConflict` (graph-facts §3.4;
 * whether Graph enforces this is UNVERIFIED, the emulator does).
 */
export function checkIfMatch(c: Context<GraphEnv>, item: Pick<OutlookItem<unknown>, "changeKey">): void {
  const header = c.req.header("if-match");
  if (!header) return;
  const tags = header.split(",").map((t) => t.trim());
  const ok = tags.some((t) =>
    t === "*" || t === etagOf(item.changeKey) || t === `"${item.changeKey}"` || t === item.changeKey
  );
  if (!ok) throw irresolvableConflict();
}
