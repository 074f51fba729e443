import { crmRpc, type CrmRpcName } from "@app/shared/contract";
import { z } from "zod";

/**
 * How a faulty request/reply answer looks:
 * - `error`: a `retryable` error reply; nothing changes.
 * - `timeout`: no answer at all; nothing changes (the caller's request times out).
 * - `malformed`: an answer that is not JSON; nothing changes.
 * - `lost_reply`: the write is applied but its answer is lost, as when a connection drops after
 *   commit; a retry with the same idempotency key must get the first result.
 */
export const FaultModeSchema = z.enum(["error", "timeout", "malformed", "lost_reply"]);
export type FaultMode = z.infer<typeof FaultModeSchema>;

/** A fault for the next `count` requests on one request/reply subject (optionally one tenant's). */
export const FaultSpecSchema = z.object({
  rpc: z.enum(Object.keys(crmRpc) as [CrmRpcName, ...CrmRpcName[]]),
  mode: FaultModeSchema,
  count: z.number().int().min(1).max(10_000).default(1),
  tenantId: z.string().min(1).optional(),
  /** Sent with `error` faults as the caller's back-off hint. */
  retryAfterMs: z.number().int().min(0).max(600_000).default(500),
});
export type FaultSpec = z.output<typeof FaultSpecSchema>;

/** A queued fault and how many requests it still affects. */
export interface ArmedFault extends FaultSpec {
  id: number;
  remaining: number;
}

/** Faults waiting for requests; the first matching one is used up first. */
export class FaultInjector {
  #faults: ArmedFault[] = [];
  #nextId = 1;

  /** Arms a fault. */
  add(spec: FaultSpec): ArmedFault {
    const armed = { ...spec, id: this.#nextId++, remaining: spec.count };
    this.#faults.push(armed);
    return armed;
  }

  /** Takes one use of the first fault matching this request, if any. */
  take(rpc: CrmRpcName, tenantId: string | undefined): ArmedFault | undefined {
    const f = this.#faults.find((x) => x.rpc === rpc && (x.tenantId === undefined || x.tenantId === tenantId));
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.#faults = this.#faults.filter((x) => x !== f);
    return f;
  }

  /** Faults still armed. */
  list(): ArmedFault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.#faults = [];
  }
}
