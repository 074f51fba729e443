/**
 * dedupe's pure matching core (D1, D3): contacts by a Fellegi–Sunter model fitted to the tenant's
 * own data, appointments by fixed weights; no I/O.
 * @module
 */
export * from "./scan_contacts.ts";
export * from "./scan_appointments.ts";
