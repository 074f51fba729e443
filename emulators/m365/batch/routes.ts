import type { Context, Hono } from "hono";
import { z } from "zod";
import type { EmulatorContext } from "../context.ts";
import { readJsonBody } from "../graph/body.ts";
import type { GraphEnv } from "../graph/env.ts";
import { badRequest, graphErrorBody } from "../graph/errors.ts";
import { ODATA_JSON, originOf } from "../graph/odata.ts";

const MAX_REQUESTS = 20;
/** Items of an unordered batch Graph hands to Outlook at a time (graph-facts §4.1). */
const PARALLEL = 4;
// Header names as Graph writes them in batch items; the graph-client's BatchResponseContent
// only parses a body whose header key is exactly `Content-Type` (graph-facts §8).
const HEADER_CASE: Record<string, string> = {
  "content-type": "Content-Type",
  "retry-after": "Retry-After",
  location: "Location",
  etag: "ETag",
  "odata-version": "OData-Version",
  "cache-control": "Cache-Control",
  "preference-applied": "Preference-Applied",
  "www-authenticate": "WWW-Authenticate",
};

const ItemSchema = z.strictObject({
  id: z.string().min(1),
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  dependsOn: z.array(z.string()).optional(),
});
const BatchSchema = z.strictObject({ requests: z.array(ItemSchema) });
type Item = z.infer<typeof ItemSchema>;
type ItemResult = { id: string; status: number; headers: Record<string, string>; body?: unknown };

/**
 * `POST /$batch`: up to 20 items, each run through the whole Graph pipeline (auth, faults,
 * limits, counting) as its own operation. With `dependsOn` the items run one at a time in order
 * and a failed dependency answers 424; otherwise up to four run at once. The batch is 200 even
 * when items fail (per-item 429s carry `Retry-After` in their own headers).
 */
export function batchRoutes(routes: Hono<GraphEnv>, ctx: EmulatorContext): void {
  routes.post("/$batch", async (c) => {
    const { requests } = await readJsonBody(c, BatchSchema, "batch request");
    validate(requests);
    ctx.counters.batch(c.get("principal").user.id);
    const ordered = requests.some((r) => r.dependsOn?.length);
    const results = new Map<string, ItemResult>();
    if (ordered) {
      for (const item of requests) {
        const failed = (item.dependsOn ?? []).some((d) => (results.get(d.toLowerCase())?.status ?? 424) >= 400);
        results.set(item.id.toLowerCase(), failed ? failedDependency(c, item) : await run(c, ctx, item));
      }
    } else {
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const item = requests[next++]!;
          results.set(item.id.toLowerCase(), await run(c, ctx, item));
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, requests.length) }, worker));
    }
    return c.json({ responses: requests.map((r) => results.get(r.id.toLowerCase())!) });
  });
}

function validate(requests: Item[]): void {
  if (requests.length === 0) throw badRequest("The batch request must contain at least one request.");
  if (requests.length > MAX_REQUESTS) {
    throw badRequest(`The batch request contains ${requests.length} requests; the limit is ${MAX_REQUESTS}.`);
  }
  const ids = new Set<string>();
  for (const r of requests) {
    const id = r.id.toLowerCase();
    if (ids.has(id)) throw badRequest(`Batch request contains a duplicate request id '${r.id}'.`);
    ids.add(id);
  }
  for (const r of requests) {
    for (const d of r.dependsOn ?? []) {
      if (!ids.has(d.toLowerCase()) || d.toLowerCase() === r.id.toLowerCase()) {
        throw badRequest(`Request id '${r.id}' depends on unknown request id '${d}'.`);
      }
    }
    const hasType = Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === "content-type");
    if (r.body !== undefined && !hasType) {
      throw badRequest(`Write request id : ${r.id} does not contain Content-Type header or body.`);
    }
  }
}

async function run(c: Context<GraphEnv>, ctx: EmulatorContext, item: Item): Promise<ItemResult> {
  // Relative to the version root, with or without the leading slash (json-batching.md has both).
  if (/^[a-z][a-z0-9+.-]*:/i.test(item.url)) {
    return errorItem(c, item, 400, "BadRequest", "Batch request URLs must be relative, e.g. '/me/contacts'.");
  }
  const url = item.url.startsWith("/") ? item.url : `/${item.url}`;
  const origin = originOf(c);
  const headers = new Headers(item.headers);
  headers.set("authorization", c.req.header("authorization") ?? "");
  const clientRequestId = c.req.header("client-request-id");
  if (clientRequestId && !headers.has("client-request-id")) headers.set("client-request-id", clientRequestId);
  const body = item.body === undefined
    ? undefined
    : typeof item.body === "string"
    ? item.body
    : JSON.stringify(item.body);
  const req = new Request(`${origin}/v1.0${url}`, { method: item.method.toUpperCase(), headers, body });
  const res = await ctx.dispatch(req, { remoteAddr: c.env?.remoteAddr, origin, batch: { itemId: item.id } });
  // The item's own response headers, as json-batching.md shows them (Cache-Control, OData-Version,
  // Content-Type, and Location, ETag, Retry-After, Preference-Applied where the item has them).
  const outHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    const name = HEADER_CASE[k];
    if (name) outHeaders[name] = v;
  });
  const text = res.status === 204 ? "" : await res.text();
  let parsed: unknown = undefined;
  if (text && (outHeaders["Content-Type"] ?? "").startsWith("application/json")) parsed = JSON.parse(text);
  else if (text) parsed = text;
  return { id: item.id, status: res.status, headers: outHeaders, ...(parsed === undefined ? {} : { body: parsed }) };
}

function failedDependency(c: Context<GraphEnv>, item: Item): ItemResult {
  return errorItem(c, item, 424, "FailedDependency", "The request depends on a request that failed.");
}

function errorItem(c: Context<GraphEnv>, item: Item, status: number, code: string, message: string): ItemResult {
  return {
    id: item.id,
    status,
    headers: { "Cache-Control": "no-cache", "OData-Version": "4.0", "Content-Type": ODATA_JSON },
    body: graphErrorBody(c, code, message),
  };
}
