import type { Context } from "hono";
import type { OutlookItem } from "../state/items.ts";
import type { GraphEnv } from "./env.ts";
import { evaluateFilter } from "./filter.ts";
import { applySelect, etagOf, formatDateTimeOffset, originOf } from "./odata.ts";
import { addPreferenceApplied, IMMUTABLE_ID_APPLIED } from "./prefer.ts";
import type { ODataQuery } from "./query.ts";

/** How items are shown in this response: which id form, `$select`, `$expand`. */
export interface ItemView {
  immutableIds: boolean;
  select?: string[];
  expand: ODataQuery["expand"];
  /**
   * `…/v1.0/users('{user}@{tenant}')`: with it, items carry `@odata.id` (Graph's extended-property
   * pages show it on items read with `$expand`).
   */
  odataIdBase?: string;
}

/** Entity sets of the item kinds, for `@odata.id`. */
const ENTITY_SETS: Record<string, string> = { contact: "contacts", event: "events" };

/** `…/v1.0/users('{user}@{tenant}')`, the base of `@odata.id` links. */
export function odataIdBaseOf(c: Context<GraphEnv>): string {
  const user = c.get("mailboxUser");
  return `${originOf(c)}/v1.0/users('${user.id}@${user.tenantId}')`;
}

/**
 * The view a request asks for (`Prefer: IdType="ImmutableId"`, `$select`, `$expand`); answering
 * with immutable ids is reported in `Preference-Applied`.
 */
export function itemViewOf(c: Context<GraphEnv>, query: ODataQuery): ItemView {
  const immutableIds = c.get("prefer").immutableId;
  if (immutableIds) addPreferenceApplied(c, IMMUTABLE_ID_APPLIED);
  const odataIdBase = query.expand.length ? odataIdBaseOf(c) : undefined;
  return { immutableIds, select: query.select, expand: query.expand, odataIdBase };
}

/** The id clients see for `item` under `view`. */
export function visibleId(item: OutlookItem<unknown>, view: Pick<ItemView, "immutableIds">): string {
  return view.immutableIds ? item.immutableId : item.id;
}

/**
 * The fields every outlookItem starts with, in Graph's order: `@odata.etag`, `id`,
 * `createdDateTime`, `lastModifiedDateTime`, `changeKey`, `categories`.
 */
export function outlookItemHeader(item: OutlookItem<unknown>, view: ItemView): Record<string, unknown> {
  const props = item.props as { categories?: unknown };
  return {
    "@odata.etag": etagOf(item.changeKey),
    id: visibleId(item, view),
    createdDateTime: formatDateTimeOffset(item.createdAt),
    lastModifiedDateTime: formatDateTimeOffset(item.modifiedAt),
    changeKey: item.changeKey,
    categories: props.categories ?? [],
  };
}

/** The item's extended properties as `$filter` lambdas see them. */
export function extendedPropertyList(item: OutlookItem<unknown>): { id: string; value: string }[] {
  return Object.values(item.extendedProperties);
}

/**
 * Applies `$select` and `$expand=singleValueExtendedProperties(...)` to a full rendering.
 * Expanded properties that match nothing are left out entirely, like Outlook does.
 */
export function shapeItem(
  item: OutlookItem<unknown>,
  full: Record<string, unknown>,
  view: ItemView,
): Record<string, unknown> {
  const selected = applySelect(full, view.select);
  const entitySet = ENTITY_SETS[item.kind];
  const out = view.odataIdBase && entitySet
    ? { "@odata.id": `${view.odataIdBase}/${entitySet}('${selected.id}')`, ...selected }
    : selected;
  for (const ex of view.expand) {
    if (ex.property.toLowerCase() !== "singlevalueextendedproperties") continue;
    const matched = extendedPropertyList(item).filter((p) => !ex.filter || evaluateFilter(ex.filter, p));
    if (matched.length) out.singleValueExtendedProperties = matched.map((p) => ({ id: p.id, value: p.value }));
  }
  return out;
}

/**
 * True when `item` passes `$filter`; `full` is its rendering, to which the filter also sees
 * `singleValueExtendedProperties` (Graph filters on them but does not return them).
 */
export function itemMatches(item: OutlookItem<unknown>, full: Record<string, unknown>, query: ODataQuery): boolean {
  if (!query.filter) return true;
  return evaluateFilter(query.filter, { ...full, singleValueExtendedProperties: extendedPropertyList(item) });
}
