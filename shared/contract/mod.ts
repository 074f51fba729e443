/**
 * The CRM ⇄ sync contract: zod schemas of CRM records, sync settings, versioned NATS message
 * envelopes and request/reply bodies. `docs/crm-contract.md` describes it for CRM teams.
 * @module
 */
export * from "./ids.ts";
export * from "./time.ts";
export * from "./patch.ts";
export * from "./tenant.ts";
export * from "./contact.ts";
export * from "./recurrence.ts";
export * from "./appointment.ts";
export * from "./settings.ts";
export * from "./envelope.ts";
export * from "./rpc.ts";
export * from "./crm_events.ts";
export * from "./crm_rpc.ts";
export * from "./auth_messages.ts";
export * from "./dedupe.ts";
