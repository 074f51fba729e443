import type { CrmRpcName } from "@app/shared/contract";
import type { FaultMode } from "./faults.ts";

/** One request/reply call the simulator received, as tests inspect it. */
export interface RequestLogEntry {
  seq: number;
  at: string;
  rpc: CrmRpcName;
  subject: string;
  write: boolean;
  tenantId?: string;
  idempotencyKey?: string;
  /** The contact or appointment the call addressed or created. */
  recordId?: string;
  /** `ok`; `replayed` (an idempotent retry answered from the first result); `error`; `fault`. */
  outcome: "ok" | "replayed" | "error" | "fault";
  errorCode?: string;
  fault?: FaultMode;
  /** The parsed request body (absent when it was not JSON). */
  body?: unknown;
}

/** The last {@link MAX_ENTRIES} calls, oldest first. */
export class RequestLog {
  static readonly MAX_ENTRIES = 20_000;
  #entries: RequestLogEntry[] = [];
  #seq = 1;

  add(entry: Omit<RequestLogEntry, "seq" | "at">): RequestLogEntry {
    const e = { seq: this.#seq++, at: new Date().toISOString(), ...entry };
    this.#entries.push(e);
    if (this.#entries.length > RequestLog.MAX_ENTRIES) {
      this.#entries.splice(0, this.#entries.length - RequestLog.MAX_ENTRIES);
    }
    return e;
  }

  /** Entries matching the filter, oldest first. */
  list(filter: { tenantId?: string; rpc?: string; writesOnly?: boolean } = {}): RequestLogEntry[] {
    return this.#entries.filter((e) =>
      (filter.tenantId === undefined || e.tenantId === filter.tenantId) &&
      (filter.rpc === undefined || e.rpc === filter.rpc) &&
      (!filter.writesOnly || e.write)
    );
  }

  clear(): void {
    this.#entries = [];
  }
}
