import type { Context } from "hono";

/**
 * OData and Outlook formatting helpers: `@odata.context`, `@odata.etag`, date-times with seven
 * fractional digits (graph-facts §2.1: `"2017-04-15T11:00:00.0000000"`).
 */

/** The Content-Type of Graph's JSON answers (json-batching.md's item headers; direct answers alike). */
export const ODATA_JSON =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** `W/"<changeKey>"`, the ETag Outlook items carry. */
export function etagOf(changeKey: string): string {
  return `W/"${changeKey}"`;
}

/** A DateTimeOffset as Outlook writes it: `2024-05-01T10:00:00.1230000Z`. */
export function formatDateTimeOffset(ms: number): string {
  return `${formatLocalDateTime(ms)}Z`;
}

/** A zone-less dateTime (the `dateTime` of a `dateTimeTimeZone`), UTC wall time: `2024-05-01T10:00:00.0000000`. */
export function formatLocalDateTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-05-01T10:00:00.123Z
  return `${iso.slice(0, 23)}0000`;
}

/**
 * The public origin the client used (`https://localhost:8443`). Links must reuse it: the
 * graph-client only sends the bearer token to hosts it knows (graph-facts §8).
 */
export function originOf(c: Context): string {
  const internal = (c.env as { origin?: string } | undefined)?.origin;
  return internal ?? new URL(c.req.url).origin;
}

/**
 * `https://host/v1.0/$metadata#<fragment>`. A GET with `$select` names the selected properties
 * as OData's minimal metadata does (event-list-instances.md:
 * `…/events('…')/instances(subject,start)`; an entity: `…/events(subject)/$entity`).
 */
export function contextUrl(c: Context, fragment: string): string {
  const select = c.req.method === "GET" && !fragment.startsWith("Collection(")
    ? (c.req.query("$select") ?? c.req.query("select"))?.split(",").map((s) => s.trim()).filter(Boolean)
    : undefined;
  if (select?.length) {
    const list = `(${select.join(",")})`;
    fragment = fragment.endsWith("/$entity") ? `${fragment.slice(0, -8)}${list}/$entity` : `${fragment}${list}`;
  }
  return `${originOf(c)}/v1.0/$metadata#${fragment}`;
}

/** Absolute Graph URL for a path under `/v1.0` (path starts with `/`). */
export function graphUrl(c: Context, path: string): string {
  return `${originOf(c)}/v1.0${path}`;
}

/**
 * Keeps `id`, `@odata.*` annotations and the selected properties (names compared
 * case-insensitively, as OData does).
 */
export function applySelect(body: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select || select.length === 0) return body;
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith("@odata.") || k === "id" || wanted.has(k.toLowerCase())) out[k] = v;
  }
  return out;
}
