/**
 * The shared sync engine: what every sync service runs, knowing nothing of contacts or events. A
 * kind (contacts, calendar) implements {@link SyncKind}; the engine schedules runs, prepares them,
 * applies their plans and serves their status.
 * @module
 */
export * from "./kind.ts";
export * from "./apply.ts";
export * from "./item_results.ts";
export * from "./pipeline.ts";
export * from "./config.ts";
export * from "./tables.ts";
export * from "./scheduler.ts";
export * from "./cadence.ts";
export * from "./crm_changes.ts";
export * from "./graph_budget.ts";
export * from "./session.ts";
export * from "./subscriptions.ts";
export * from "./notifications.ts";
export * from "./triggers.ts";
export * from "./routes.ts";
export * from "./metrics.ts";
export * from "./engine.ts";
