/**
 * The calendar sync core (pure, no I/O): canonical appointment model, mappings CRM ⇄ canonical ⇄
 * Graph, time zones, reminders, recurrence, and the planner (E1–E12, A9, P6).
 * @module
 */
export * from "./types.ts";
export * from "./graph_event.ts";
export * from "./time_zone.ts";
export * from "./reminder.ts";
export * from "./body.ts";
export * from "./series.ts";
export * from "./crm_mapping.ts";
export * from "./graph_mapping.ts";
export * from "./merge.ts";
export * from "./cases.ts";
export * from "./pairs.ts";
export * from "./graph_writes.ts";
export * from "./plan.ts";
export * from "./settle.ts";
