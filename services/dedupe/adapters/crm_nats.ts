import type { NatsConnection } from "@nats-io/nats-core";
import { type Appointment, type Contact, type CrmGroup, crmRpc, type CrmRpcName } from "@app/shared/contract";
import { callRpc, type NatsCatalog } from "@app/shared/nats";
import type { z } from "zod";

type Req<K extends CrmRpcName> = z.input<(typeof crmRpc)[K]["request"]>;
type Rep<K extends CrmRpcName> = z.output<(typeof crmRpc)[K]["reply"]>;

const PAGE = 1_000;

/**
 * The CRM through its contract (P2), for one tenant's scans and decisions: paged reads, merges,
 * deletes. Errors are the contract's typed errors (`fromRpcError`); a timeout is retryable; a
 * malformed reply fails the call — never an empty list.
 */
export class CrmNats {
  constructor(
    private readonly nc: NatsConnection,
    private readonly catalog: NatsCatalog,
    private readonly timeoutMs = 15_000,
  ) {}

  call<K extends CrmRpcName>(name: K, request: Req<K>): Promise<Rep<K>> {
    return callRpc(this.nc, this.catalog.subjects.crm.rpc[name], request, crmRpc[name].reply, {
      timeoutMs: this.timeoutMs,
    }) as Promise<Rep<K>>;
  }

  /** Every non-archived contact of the tenant. */
  async contacts(tenantId: string): Promise<Contact[]> {
    const out: Contact[] = [];
    let cursor: string | null = null;
    do {
      const page: Rep<"contactsList"> = await this.call("contactsList", { tenantId, cursor, limit: PAGE });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  /** Every appointment of the tenant (cancelled ones included, as the CRM lists them). */
  async appointments(tenantId: string): Promise<Appointment[]> {
    const out: Appointment[] = [];
    let cursor: string | null = null;
    do {
      const page: Rep<"appointmentsList"> = await this.call("appointmentsList", { tenantId, cursor, limit: PAGE });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  async groups(tenantId: string): Promise<CrmGroup[]> {
    return (await this.call("groupsList", { tenantId })).items;
  }
}
