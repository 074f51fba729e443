/**
 * CRM simulator: the CRM side of the contract (`docs/crm-contract.md`) over NATS, in memory, with
 * an admin HTTP surface for tests and the demo. Test and demo infrastructure only.
 * @module
 */
export { type CrmSimulatorOptions, type RunningCrmSimulator, startCrmSimulator } from "./simulator.ts";
export { CrmSimulatorState } from "./core.ts";
export { CrmAdminClient, CrmAdminError, type FaultInput } from "./admin_client.ts";
export type { ArmedFault, FaultMode } from "./faults.ts";
export type { RequestLogEntry } from "./request_log.ts";
export type { SimTenant } from "./state/model.ts";
export * from "./admin/schemas.ts";
export { type DemoSeed, type DemoSeedOptions, seedDemo } from "./seed_demo.ts";
