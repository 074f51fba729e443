import type { Appointment, Contact, CrmGroup, CrmUser } from "@app/shared/contract";
import type { Problem } from "@app/shared/http";
import type { z } from "zod";
import type {
  CreateAppointmentInput,
  CreateContactInput,
  CreateGroupInput,
  CreateTenantInput,
  CreateUserInput,
  PatchAppointmentInput,
  PatchContactInput,
} from "./admin/schemas.ts";
import type { ArmedFault, FaultSpecSchema } from "./faults.ts";
import type { RequestLogEntry } from "./request_log.ts";
import type { SimTenant } from "./state/model.ts";

/** A non-2xx answer of the admin surface, with its problem+json body. */
export class CrmAdminError extends Error {
  constructor(readonly status: number, readonly problem: Problem | undefined, what: string) {
    super(`${what}: HTTP ${status}${problem ? ` ${problem.code}: ${problem.detail}` : ""}`);
    this.name = "CrmAdminError";
  }
}

/** A fault to arm (see `faults.ts`). */
export type FaultInput = z.input<typeof FaultSpecSchema>;

const enc = encodeURIComponent;

/**
 * Typed client of the simulator's admin surface, for tests and the demo seed. Every call reads the
 * whole response body, so no test leaks a connection.
 */
export class CrmAdminClient {
  constructor(readonly baseUrl: string) {}

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      let problem: Problem | undefined;
      try {
        problem = JSON.parse(text) as Problem;
      } catch {
        problem = undefined;
      }
      throw new CrmAdminError(res.status, problem, `${method} ${path}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  // Tenants, users, groups

  createTenant(input: CreateTenantInput): Promise<SimTenant> {
    return this.#call("POST", "/admin/tenants", input);
  }
  async tenants(): Promise<SimTenant[]> {
    return (await this.#call<{ items: SimTenant[] }>("GET", "/admin/tenants")).items;
  }
  createUser(tenantId: string, input: CreateUserInput): Promise<CrmUser> {
    return this.#call("POST", `/admin/tenants/${enc(tenantId)}/users`, input);
  }
  async users(tenantId: string): Promise<CrmUser[]> {
    return (await this.#call<{ items: CrmUser[] }>("GET", `/admin/tenants/${enc(tenantId)}/users`)).items;
  }
  createGroup(tenantId: string, input: CreateGroupInput): Promise<CrmGroup> {
    return this.#call("POST", `/admin/tenants/${enc(tenantId)}/groups`, input);
  }
  async groups(tenantId: string): Promise<CrmGroup[]> {
    return (await this.#call<{ items: CrmGroup[] }>("GET", `/admin/tenants/${enc(tenantId)}/groups`)).items;
  }
  /** Replaces the members (`crm.group.membership_changed`). */
  setGroupMembers(tenantId: string, groupId: string, memberIds: string[]): Promise<CrmGroup> {
    return this.#call("PUT", `/admin/tenants/${enc(tenantId)}/groups/${enc(groupId)}/members`, { memberIds });
  }

  // Contacts

  createContact(tenantId: string, input: CreateContactInput): Promise<Contact> {
    return this.#call("POST", `/admin/tenants/${enc(tenantId)}/contacts`, input);
  }
  /** Creates many contacts at once, all or nothing; `emitEvents: false` for data that predates sync. */
  createContacts(
    tenantId: string,
    contacts: CreateContactInput[],
    options: { emitEvents?: boolean } = {},
  ): Promise<{ count: number; ids: string[] }> {
    return this.#call("POST", `/admin/tenants/${enc(tenantId)}/contacts/bulk`, { contacts, ...options });
  }
  contact(tenantId: string, contactId: string): Promise<Contact> {
    return this.#call("GET", `/admin/tenants/${enc(tenantId)}/contacts/${enc(contactId)}`);
  }
  /** Every live contact, archived ones included. */
  async contacts(tenantId: string): Promise<Contact[]> {
    return (await this.#call<{ items: Contact[] }>("GET", `/admin/tenants/${enc(tenantId)}/contacts`)).items;
  }
  updateContact(tenantId: string, contactId: string, patch: PatchContactInput): Promise<Contact> {
    return this.#call("PATCH", `/admin/tenants/${enc(tenantId)}/contacts/${enc(contactId)}`, patch);
  }
  archiveContact(tenantId: string, contactId: string): Promise<Contact> {
    return this.updateContact(tenantId, contactId, { archived: true });
  }
  restoreContact(tenantId: string, contactId: string): Promise<Contact> {
    return this.updateContact(tenantId, contactId, { archived: false });
  }
  async deleteContact(tenantId: string, contactId: string): Promise<boolean> {
    const path = `/admin/tenants/${enc(tenantId)}/contacts/${enc(contactId)}`;
    return (await this.#call<{ deleted: boolean }>("DELETE", path)).deleted;
  }
  /** Sets or clears one user's sync flag on a contact (C3). */
  setSyncFlag(tenantId: string, contactId: string, userId: string, enabled: boolean): Promise<Contact> {
    const path = `/admin/tenants/${enc(tenantId)}/contacts/${enc(contactId)}/sync-users/${enc(userId)}`;
    return this.#call(enabled ? "PUT" : "DELETE", path);
  }

  // Appointments

  createAppointment(tenantId: string, input: CreateAppointmentInput): Promise<Appointment> {
    return this.#call("POST", `/admin/tenants/${enc(tenantId)}/appointments`, input);
  }
  appointment(tenantId: string, appointmentId: string): Promise<Appointment> {
    return this.#call("GET", `/admin/tenants/${enc(tenantId)}/appointments/${enc(appointmentId)}`);
  }
  async appointments(tenantId: string): Promise<Appointment[]> {
    return (await this.#call<{ items: Appointment[] }>("GET", `/admin/tenants/${enc(tenantId)}/appointments`)).items;
  }
  updateAppointment(tenantId: string, appointmentId: string, patch: PatchAppointmentInput): Promise<Appointment> {
    return this.#call("PATCH", `/admin/tenants/${enc(tenantId)}/appointments/${enc(appointmentId)}`, patch);
  }
  cancelAppointment(tenantId: string, appointmentId: string): Promise<Appointment> {
    return this.updateAppointment(tenantId, appointmentId, { cancelled: true });
  }
  async deleteAppointment(tenantId: string, appointmentId: string): Promise<boolean> {
    const path = `/admin/tenants/${enc(tenantId)}/appointments/${enc(appointmentId)}`;
    return (await this.#call<{ deleted: boolean }>("DELETE", path)).deleted;
  }

  // Control

  /** Request/reply calls received, oldest first. */
  async requests(filter: { tenantId?: string; rpc?: string; writesOnly?: boolean } = {}): Promise<RequestLogEntry[]> {
    const q = new URLSearchParams();
    if (filter.tenantId) q.set("tenantId", filter.tenantId);
    if (filter.rpc) q.set("rpc", filter.rpc);
    if (filter.writesOnly) q.set("writesOnly", "true");
    return (await this.#call<{ items: RequestLogEntry[] }>("GET", `/admin/requests?${q}`)).items;
  }
  clearRequests(): Promise<void> {
    return this.#call("DELETE", "/admin/requests");
  }
  /** Makes the next `count` requests on one subject fail in the given way. */
  injectFault(spec: FaultInput): Promise<ArmedFault> {
    return this.#call("POST", "/admin/faults", spec);
  }
  async faults(): Promise<ArmedFault[]> {
    return (await this.#call<{ items: ArmedFault[] }>("GET", "/admin/faults")).items;
  }
  clearFaults(): Promise<void> {
    return this.#call("DELETE", "/admin/faults");
  }
  /** Forgets every tenant, fault and logged request. */
  reset(): Promise<void> {
    return this.#call("POST", "/admin/reset");
  }
}
