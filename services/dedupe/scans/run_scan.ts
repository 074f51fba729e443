import { type Appointment, type Contact, DedupeReportPublishedV1, makeEnvelope } from "@app/shared/contract";
import type { Logger } from "@app/shared/log";
import type { CountryCode } from "@app/shared/normalize";
import type { CrmNats } from "../adapters/crm_nats.ts";
import type { LinkEvidence } from "../adapters/link_evidence_nats.ts";
import type { ReportStorePg, ScanRow } from "../adapters/report_store_pg.ts";
import { prepareContact } from "../match/prepare.ts";
import { scanAppointments } from "../match/scan_appointments.ts";
import { scanContacts } from "../match/scan_contacts.ts";
import { assembleReport } from "./assemble.ts";
import { iso, type ProposedGroup } from "./report_types.ts";

/** What a scan needs. */
export interface ScanDeps {
  store: ReportStorePg;
  crm: CrmNats;
  links: (tenantId: string) => Promise<LinkEvidence>;
  publish: (event: ReturnType<typeof reportEvent>) => Promise<void>;
  settings: { threshold: number; country: CountryCode; intervalMs: number };
  logger: Logger;
}

const STALE_SCAN_MS = 30 * 60_000;

/**
 * Scans one tenant (D1): reads its contacts and appointments through the CRM contract, scores them
 * (match/), adds what the sync links say (D4), leaves out what the user kept (D3), stores the
 * report and publishes it. A scan that fails is recorded with why and leaves the previous report.
 */
export class ScanRunner {
  #inflight = new Set<Promise<ScanRow>>();

  constructor(private readonly d: ScanDeps) {}

  /** Waits for scans started on demand (shutdown). */
  async drain(): Promise<void> {
    await Promise.all(this.#inflight);
  }

  /** Starts a scan in the background (on demand); a scan already running for the tenant is returned instead. */
  async start(tenantId: string): Promise<{ scan: ScanRow; done: Promise<ScanRow> }> {
    const running = await this.d.store.runningScan(tenantId, STALE_SCAN_MS);
    if (running) return { scan: running, done: Promise.resolve(running) };
    const scan = await this.d.store.startScan(tenantId, "manual");
    const done = this.#execute(scan);
    this.#inflight.add(done);
    void done.finally(() => this.#inflight.delete(done));
    return { scan, done };
  }

  /** Runs a scheduled scan to its end. */
  async run(tenantId: string, trigger: "scheduled" | "manual"): Promise<ScanRow> {
    return await this.#execute(await this.d.store.startScan(tenantId, trigger));
  }

  async #execute(scan: ScanRow): Promise<ScanRow> {
    const { store, crm, settings, logger } = this.d;
    const tenantId = scan.tenantId;
    try {
      const [contacts, appointments, groups, evidence, kept] = await Promise.all([
        crm.contacts(tenantId),
        crm.appointments(tenantId),
        crm.groups(tenantId),
        this.d.links(tenantId),
        store.keptPairs(tenantId),
      ]);
      const c = scanContacts(contacts, { country: settings.country, threshold: settings.threshold });
      const contactGroups = assembleReport({
        kind: "contact",
        model: c.groups.map((g) => ({ ...g, kind: "contact" as const, source: "model" as const })),
        links: evidence.contacts,
        fingerprintOf: contactFingerprints(contacts, settings.country),
        kept: kept.filter((k) => k.kind === "contact"),
      });
      const a = scanAppointments(appointments, { groups, threshold: settings.threshold });
      const byId = new Map(appointments.map((x) => [x.id, x]));
      const appointmentGroups = assembleReport({
        kind: "appointment",
        model: a.map((g) => ({ ...g, kind: "appointment" as const, source: "model" as const })),
        links: evidence.appointments,
        fingerprintOf: (id) => appointmentFingerprint(byId.get(id)),
        kept: kept.filter((k) => k.kind === "appointment"),
      });
      const all: ProposedGroup[] = [...contactGroups, ...appointmentGroups];
      const stats = {
        contacts: contacts.length,
        appointments: appointments.length,
        candidatePairs: c.stats.candidatePairs,
        householdPairs: c.stats.householdPairs,
        lambda: c.model.lambda,
        linksUnavailable: evidence.unavailable,
      };
      // The fact is built before the report is stored, so nothing after the commit can fail the scan.
      const groupIds = all.map(() => `grp_${crypto.randomUUID()}`);
      const finishedAt = new Date().toISOString();
      const event = reportEvent(scan, finishedAt, all, groupIds, {
        contacts: contacts.length,
        appointments: appointments.length,
      }, evidence.unavailable);
      await store.completeScan(scan, all, groupIds, finishedAt, stats);
      await store.scanned(tenantId, settings.intervalMs).catch((err) =>
        logger.warn("schedule not moved", { error: err })
      );
      await this.d.publish(event).catch((err) => logger.error("report not published", { scanId: scan.id, error: err }));
      return { ...scan, status: "completed", finishedAt, stats };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      logger.warn("scan failed; the previous report stays", { tenantId, scanId: scan.id, error: err });
      await store.failScan(scan.id, message).catch(() => {});
      return { ...scan, status: "failed", error: message };
    }
  }
}

function contactFingerprints(contacts: readonly Contact[], country: CountryCode): (id: string) => string | undefined {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const cache = new Map<string, string>();
  return (id) => {
    const c = byId.get(id);
    if (!c) return undefined;
    let f = cache.get(id);
    if (f === undefined) cache.set(id, f = prepareContact(c, country).fingerprint);
    return f;
  };
}

/** An appointment's fingerprint is its version: any change re-opens a "keep both". */
export function appointmentFingerprint(a: Appointment | undefined): string | undefined {
  return a && !a.cancelled ? `v${a.version}` : undefined;
}

/** The `dedupe.report.published` fact of a completed scan (its id is the scan's: a republish is dropped). */
export function reportEvent(
  scan: ScanRow,
  finishedAt: string,
  groups: ProposedGroup[],
  groupIds: string[],
  listed: { contacts: number; appointments: number },
  unavailable: LinkEvidence["unavailable"],
) {
  const data = {
    scanId: scan.id,
    trigger: scan.trigger as "scheduled" | "manual",
    startedAt: iso(scan.startedAt),
    finishedAt: iso(finishedAt),
    counts: {
      ...listed,
      contactGroups: groups.filter((g) => g.kind === "contact").length,
      appointmentGroups: groups.filter((g) => g.kind === "appointment").length,
    },
    groups: groups.slice(0, 500).map((g, i) => ({
      groupId: groupIds[i]!,
      kind: g.kind,
      recordIds: g.recordIds,
      score: g.score,
      source: g.source,
    })),
    truncated: groups.length > 500,
    linksUnavailable: unavailable,
  };
  return DedupeReportPublishedV1.parse(
    makeEnvelope("dedupe.report.published", 1, scan.tenantId, data, { id: scan.id }),
  );
}
