import type { ServiceMetrics } from "../http/metrics.ts";

/**
 * The engine's metrics on the service registry: every run by outcome (failed and blocked too),
 * actions applied, run duration, and every Graph response with its latency and throttling.
 */
export class EngineMetrics {
  readonly runs;
  readonly actions;
  readonly runSeconds;
  readonly graphResponses;
  readonly graphSeconds;
  readonly graphThrottled;

  constructor(m: ServiceMetrics) {
    this.runs = m.counter("sync_runs_total", "Sync runs by outcome (completed, partial, paused, blocked, failed, …).", [
      "status",
    ]);
    this.actions = m.counter("sync_actions_total", "Sync actions applied, by kind.", ["kind"]);
    this.runSeconds = m.histogram("sync_run_seconds", "Duration of sync runs.", [], [
      0.05,
      0.1,
      0.25,
      0.5,
      1,
      2,
      5,
      15,
      60,
      300,
    ]);
    this.graphResponses = m.counter("graph_responses_total", "Microsoft Graph responses by status.", ["status"]);
    this.graphSeconds = m.histogram("graph_request_seconds", "Microsoft Graph request latency.", ["method"], [
      0.01,
      0.025,
      0.05,
      0.1,
      0.25,
      0.5,
      1,
      2.5,
      5,
      10,
    ]);
    this.graphThrottled = m.counter("graph_throttled_total", "Microsoft Graph answers 429 (throttled).");
  }

  /** One run ended. */
  recordRun(status: string, seconds: number, done: Record<string, number> = {}): void {
    this.runs.inc({ status });
    for (const [kind, n] of Object.entries(done)) this.actions.inc({ kind }, n);
    this.runSeconds.observe(seconds);
  }

  /** One Graph response arrived. */
  recordGraph(r: { method: string; status: number; seconds: number }): void {
    this.graphResponses.inc({ status: String(r.status) });
    this.graphSeconds.observe({ method: r.method }, r.seconds);
    if (r.status === 429) this.graphThrottled.inc();
  }
}
