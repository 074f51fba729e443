import { z } from "zod";
import { TenantIdSchema } from "./ids.ts";

/**
 * Wraps a payload schema in the versioned message envelope every NATS message carries:
 * `{ id, type, v, tenantId, occurredAt, data }`. `id` is the message id consumers dedupe on.
 */
export function envelope<T extends string, V extends number, D extends z.ZodType>(type: T, v: V, data: D) {
  return z.object({
    id: z.string().min(1).max(200),
    type: z.literal(type),
    v: z.literal(v),
    tenantId: TenantIdSchema,
    occurredAt: z.iso.datetime({ offset: true }),
    data,
  });
}

/** The envelope fields without a typed payload, for routing before the payload is parsed. */
export const EnvelopeHeadSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1),
  v: z.number().int().positive(),
  tenantId: TenantIdSchema,
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
});
export type EnvelopeHead = z.infer<typeof EnvelopeHeadSchema>;

/** Builds an envelope value with a fresh id and the current time. */
export function makeEnvelope<T extends string, V extends number, D>(
  type: T,
  v: V,
  tenantId: string,
  data: D,
  options: { id?: string; occurredAt?: Date } = {},
): { id: string; type: T; v: V; tenantId: string; occurredAt: string; data: D } {
  return {
    id: options.id ?? crypto.randomUUID(),
    type,
    v,
    tenantId,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    data,
  };
}
