import type { ServiceMetrics } from "@app/shared/http";
import type { ContactSyncSummary } from "./sync/run.ts";

/** contacts-sync's own metrics, on the service registry. */
export class ContactsSyncMetrics {
  readonly runs;
  readonly actions;
  readonly runSeconds;
  readonly graphResponses;

  constructor(m: ServiceMetrics) {
    this.runs = m.counter("contacts_sync_runs_total", "Contact sync runs by outcome.", ["status"]);
    this.actions = m.counter("contacts_sync_actions_total", "Sync actions applied, by kind.", ["kind"]);
    this.runSeconds = m.histogram("contacts_sync_run_seconds", "Duration of contact sync runs.", [], [
      0.05,
      0.1,
      0.5,
      1,
      5,
      15,
      60,
      300,
      900,
    ]);
    this.graphResponses = m.counter("contacts_sync_graph_responses_total", "Graph responses by status.", ["status"]);
  }

  recordRun(s: ContactSyncSummary, seconds: number): void {
    this.runs.inc({ status: s.status });
    for (const [kind, n] of Object.entries(s.done)) this.actions.inc({ kind }, n ?? 0);
    this.runSeconds.observe(seconds);
  }
}
