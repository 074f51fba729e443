import type { Appointment, Contact } from "@app/shared/contract";
import { FaultInjector } from "./faults.ts";
import type { EventOutbox } from "./outbox.ts";
import { RequestLog } from "./request_log.ts";
import type { Changed } from "./state/model.ts";
import { CrmStore } from "./state/store.ts";

/**
 * The simulator's state as tests see it in process: the records, armed faults, the request log,
 * and `commit`, through which every change (NATS or admin) publishes its events.
 */
export class CrmSimulatorState {
  readonly faults = new FaultInjector();
  readonly requests = new RequestLog();

  constructor(
    readonly store: CrmStore,
    private readonly outbox: EventOutbox,
    private readonly changed: () => void = () => {},
  ) {}

  /** Publishes a change's events (waiting until the stream has them), marks the state for saving, returns its value. */
  async commit<T>(c: Changed<T>): Promise<T> {
    this.changed();
    await this.outbox.publish(c.events);
    return c.value;
  }

  /** A live contact, or `undefined`. */
  contact(tenantId: string, id: string): Contact | undefined {
    return this.store.all().find((t) => t.tenant.id === tenantId)?.contacts.get(id);
  }

  /** Every live contact of a tenant (archived included), in creation order. */
  contacts(tenantId: string): Contact[] {
    return [...this.store.tenant(tenantId).contacts.values()];
  }

  /** Every live appointment of a tenant, in creation order. */
  appointments(tenantId: string): Appointment[] {
    return [...this.store.tenant(tenantId).appointments.values()];
  }

  /** Events of committed changes not yet in the stream. */
  pendingEvents() {
    return this.outbox.pending();
  }

  /** Forgets every tenant, fault and logged request (events already published stay in the stream). */
  reset(): void {
    this.store.clear();
    this.faults.clear();
    this.requests.clear();
    this.changed();
  }
}

export { CrmStore };
