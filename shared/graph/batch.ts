import type { Client } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { type AppError, UpstreamError } from "../errors/mod.ts";
import { graphErrorFrom, retryAfterMsFrom, toGraphError } from "./errors.ts";

/** One request inside a `$batch`; `url` is relative and without version (`/me/contacts`). */
export interface BatchItem {
  id: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The outcome of one batch item: its body on success, a typed error otherwise. */
export type BatchOutcome =
  | { id: string; ok: true; status: number; body: unknown }
  | { id: string; ok: false; status: number; error: AppError };

const BatchResponseSchema = z.object({
  responses: z.array(z.object({
    id: z.string(),
    status: z.number().int(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
  })),
});

/** Graph's limit of requests per `$batch`. */
export const BATCH_LIMIT = 20;

/**
 * Sends items in `$batch` requests of at most 20, one batch at a time (Graph runs an unordered
 * batch's items four at a time against the mailbox). Each item comes back with its body or a typed
 * error; a throttled item carries its Retry-After (`GraphThrottledError.retryAfterMs`) for the
 * caller to wait out before sending again only those. A batch request that fails as a whole fails
 * every item in it.
 */
export async function runBatch(client: Client, items: BatchItem[]): Promise<BatchOutcome[]> {
  const out: BatchOutcome[] = [];
  for (let i = 0; i < items.length; i += BATCH_LIMIT) {
    out.push(...await sendOne(client, items.slice(i, i + BATCH_LIMIT)));
  }
  return out;
}

async function sendOne(client: Client, chunk: BatchItem[]): Promise<BatchOutcome[]> {
  const requests = chunk.map((c) => ({
    id: c.id,
    method: c.method,
    url: c.url,
    ...(c.body !== undefined ? { body: c.body, headers: { "Content-Type": "application/json", ...c.headers } } : {}),
    ...(c.body === undefined && c.headers ? { headers: c.headers } : {}),
  }));
  let raw: unknown;
  try {
    raw = await client.api("/$batch").post({ requests });
  } catch (err) {
    const error = toGraphError(err);
    return chunk.map((c) => ({ id: c.id, ok: false as const, status: error.status, error }));
  }
  const parsed = BatchResponseSchema.safeParse(raw);
  if (!parsed.success) {
    const error = new UpstreamError("graph_bad_batch", "malformed $batch response");
    return chunk.map((c) => ({ id: c.id, ok: false as const, status: 502, error }));
  }
  const byId = new Map(parsed.data.responses.map((r) => [r.id, r]));
  return chunk.map((c): BatchOutcome => {
    const r = byId.get(c.id);
    if (!r) {
      return { id: c.id, ok: false, status: 502, error: new UpstreamError("graph_bad_batch", `no answer for ${c.id}`) };
    }
    if (r.status >= 200 && r.status < 300) return { id: c.id, ok: true, status: r.status, body: r.body };
    const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const err = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    return {
      id: c.id,
      ok: false,
      status: r.status,
      error: graphErrorFrom(
        r.status,
        err?.code,
        err?.message ?? "batch item failed",
        retryAfterMsFrom((n) => headers[n]),
      ),
    };
  });
}
