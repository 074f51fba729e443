/**
 * The contacts sync engine core: canonical mapping, first-sync matching, the pure planner, the
 * applier and the run entry point. Adapters implement the ports in `ports.ts`.
 * @module
 */
export * from "./canonical.ts";
export * from "./crm_mapping.ts";
export * from "./graph_mapping.ts";
export * from "./match.ts";
export * from "./ports.ts";
export * from "./plan_types.ts";
export * from "./plan.ts";
export * from "./executors.ts";
export * from "./settle.ts";
export * from "./run.ts";
export * from "./report.ts";
