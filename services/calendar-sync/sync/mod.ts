/**
 * The calendar sync core (pure, no I/O): canonical appointment model, mappings CRM ⇄ canonical ⇄
 * Graph, time zones, recurrence, and the planner (E1–E12, A9, P6).
 * @module
 */
export * from "./types.ts";
export * from "./graph_event.ts";
