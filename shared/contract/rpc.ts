import { z } from "zod";

/** Error body of a failed request/reply call. `code` is stable; `issues` name bad fields. */
export const RpcErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** The HTTP-like class of the error (404, 409, …), so a caller maps codes it does not know. */
  status: z.number().int().min(400).max(599).optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAfterMs: z.number().int().nonnegative().optional(),
  /** Why the account needs the user to sign in again (`needs_reconnect`, A6). */
  reason: z.string().optional(),
});
export type RpcError = z.infer<typeof RpcErrorSchema>;

/** The reply of every NATS request/reply endpoint: `{ ok: true, data }` or `{ ok: false, error }`. */
export function rpcReply<D extends z.ZodType>(data: D) {
  return z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: RpcErrorSchema }),
  ]);
}
